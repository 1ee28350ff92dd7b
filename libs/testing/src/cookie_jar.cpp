#include <typhoon/testing/cookie_jar.hpp>

#include <string_view>

namespace typhoon::testing {

void CookieJar::prepare(httpclient::HTTPRequest& request) const {
    std::string header;
    for (const auto& [name, value] : cookies)
        header += (header.empty() ? "" : "; ") + name + "=" + value;
    if (!header.empty()) request.headers.add("Cookie", header);
}

void CookieJar::take(const httpclient::HTTPResponse& response) {
    for (const std::string_view set_cookie : response.headers.get_list("Set-Cookie")) {
        const auto pair = set_cookie.substr(0, set_cookie.find(';'));
        const auto equals = pair.find('=');
        const std::string name(pair.substr(0, equals));
        const std::string value(equals == std::string_view::npos ? "" : pair.substr(equals + 1));
        // clear_cookie() sends an empty value that has expired already
        if (value.empty() || value == "\"\"")
            cookies.erase(name);
        else
            cookies[name] = value;
    }
}

}  // namespace typhoon::testing
