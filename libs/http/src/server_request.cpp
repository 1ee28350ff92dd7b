#include <typhoon/http/server_request.hpp>

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/http/cookies.hpp>
#include <typhoon/http/url.hpp>

namespace typhoon::httputil {

HTTPServerRequest::HTTPServerRequest(HTTPServerRequestOptions options)
    : method(std::move(options.method)),
      uri(std::move(options.uri)),
      version(std::move(options.version)),
      headers(std::move(options.headers)),
      body(std::move(options.body)),
      remote_ip(std::move(options.remote_ip)),
      protocol(std::move(options.protocol)),
      start_time_(std::chrono::steady_clock::now()) {
    if (options.host && !options.host->empty()) {
        host = std::move(*options.host);
    } else {
        host = headers.get("Host", "");
        if (host.empty()) host = "127.0.0.1";
    }
    host_name = split_host_and_port(escape::detail::ascii_lower(host)).first;
    const auto question = uri.find('?');
    if (question == std::string::npos) {
        path = uri;  // no query, no arguments: nothing to parse
    } else {
        path = uri.substr(0, question);
        query = uri.substr(question + 1);
        arguments = parse_qs_bytes(query, {.keep_blank_values = true});
        query_arguments = arguments;
    }
}

const std::map<std::string, std::string, std::less<>>& HTTPServerRequest::cookies() const {
    if (!cookies_) {
        cookies_.emplace();
        if (const auto header = headers.get("Cookie")) {
            for (auto& [name, value] : parse_cookie(*header))
                if (is_legal_cookie_name(name)) cookies_->emplace(name, std::move(value));
        }
    }
    return *cookies_;
}

std::string HTTPServerRequest::full_url() const {
    return protocol + "://" + host + uri;
}

double HTTPServerRequest::request_time() const {
    const auto end = finish_time_.value_or(std::chrono::steady_clock::now());
    return std::chrono::duration<double>(end - start_time_).count();
}

void HTTPServerRequest::finish() noexcept {
    finish_time_ = std::chrono::steady_clock::now();
}

void HTTPServerRequest::parse_body() {
    parse_body_arguments(headers.get("Content-Type", ""), body, body_arguments, files, &headers);
    for (const auto& [name, values] : body_arguments) {
        auto& target = arguments[name];
        target.insert(target.end(), values.begin(), values.end());
    }
}

}  // namespace typhoon::httputil
