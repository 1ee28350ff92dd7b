// RequestHandler's current user and locale, each found once per request.
#include <typhoon/web/request_handler.hpp>

#include "handler_internals.hpp"

#include <typhoon/core/detail/strings.hpp>

#include <algorithm>
#include <cstdlib>
#include <span>

namespace typhoon::web {

namespace json = boost::json;

// --- users and locales ---------------------------------------------------------------------------

const json::value& RequestHandler::current_user() {
    auto& user = internals().current_user;
    if (!user) user = get_current_user();
    return *user;
}

void RequestHandler::set_current_user(json::value user) {
    internals().current_user = std::move(user);
}

json::value RequestHandler::get_current_user() {
    return nullptr;
}

const locale::Locale& RequestHandler::locale() {
    auto& locale = internals().locale;
    if (!locale) {
        auto chosen = get_user_locale();
        locale = chosen ? std::move(*chosen) : get_browser_locale();
    }
    return *locale;
}

std::optional<locale::Locale> RequestHandler::get_user_locale() {
    return std::nullopt;
}

locale::Locale RequestHandler::get_browser_locale(std::string_view default_code) const {
    const auto header = request_->headers.get("Accept-Language");
    if (header) {
        std::vector<std::pair<std::string, double>> weighted;
        std::string_view rest = *header;
        while (true) {
            const auto comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            item = escape::detail::strip(item);
            const auto semicolon = item.find(';');
            const std::string_view code = item.substr(0, semicolon);
            double score = 1.0;
            if (semicolon != std::string_view::npos) {
                auto parameter = escape::detail::strip(item.substr(semicolon + 1));
                parameter = parameter.substr(0, parameter.find(';'));
                if (parameter.starts_with("q=")) {
                    const std::string number(escape::detail::strip(parameter.substr(2)));
                    char* end = nullptr;
                    score = std::strtod(number.c_str(), &end);
                    if (number.empty() || end != number.c_str() + number.size() || score < 0)
                        score = 0.0;
                }
            }
            if (score > 0) weighted.emplace_back(std::string(code), score);
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
        if (!weighted.empty()) {
            std::stable_sort(weighted.begin(), weighted.end(),
                             [](const auto& a, const auto& b) { return a.second > b.second; });
            std::vector<std::string> codes;
            for (auto& [code, score] : weighted)
                codes.push_back(std::move(code));
            return locale::Locale::get_closest(std::span<const std::string>(codes));
        }
    }
    return locale::Locale::get_closest({default_code});
}

}  // namespace typhoon::web
