#include <typhoon/web/builtin_handlers.hpp>

#include <typhoon/web/http_error.hpp>

#include <typhoon/http/url.hpp>

namespace typhoon::web {

namespace {

// str.format() for the replacement fields RedirectHandler URLs use: {N} and {name}.
std::string format_url(std::string_view pattern, const std::vector<std::string>& args,
                       const std::map<std::string, std::string, std::less<>>& kwargs) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
            out += c;
            ++i;
            continue;
        }
        if (c != '{') {
            out += c;
            continue;
        }
        const auto close = pattern.find('}', i);
        if (close == std::string_view::npos) throw Error("unmatched '{' in redirect URL");
        const auto field = pattern.substr(i + 1, close - i - 1);
        if (!field.empty() && field.find_first_not_of("0123456789") == std::string_view::npos) {
            const auto index = static_cast<std::size_t>(std::stoul(std::string(field)));
            if (index >= args.size())
                throw Error("redirect URL field {" + std::string(field) + "} has no group");
            out += args[index];
        } else {
            const auto found = kwargs.find(field);
            if (found == kwargs.end())
                throw Error("redirect URL field {" + std::string(field) + "} has no group");
            out += found->second;
        }
        i = close;
    }
    return out;
}

}  // namespace

void RedirectHandler::initialize(std::string url, bool permanent, std::optional<int> status) {
    url_ = std::move(url);
    permanent_ = permanent;
    status_ = status;
}

awaitable<void> RedirectHandler::get() {
    std::string target = format_url(url_, path_args(), path_kwargs());
    if (!request().query_arguments.empty()) {
        std::vector<std::pair<std::string, std::string>> query;
        for (const auto& [name, values] : request().query_arguments)
            for (const auto& value : values)
                query.emplace_back(name, value);
        target = httputil::url_concat(target, query);
    }
    redirect(target, {.permanent = permanent_, .status = status_});
    co_return;
}

void ErrorHandler::initialize(int status_code) {
    status_code_ = status_code;
}

awaitable<void> ErrorHandler::prepare() {
    throw HTTPError(status_code_);
}

void FallbackHandler::initialize(const httpserver::RequestCallback& fallback) {
    fallback_ = &fallback;
}

awaitable<void> FallbackHandler::prepare() {
    co_await (*fallback_)(request(), *connection_);
    // The fallback answered on the connection itself: nothing of this handler's may follow.
    finished_ = true;
    headers_written_ = true;
    response_sent_ = true;
    on_finish();
}

}  // namespace typhoon::web
