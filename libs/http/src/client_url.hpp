#ifndef TYPHOON_HTTP_SRC_CLIENT_URL_HPP
#define TYPHOON_HTTP_SRC_CLIENT_URL_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace typhoon::httpclient::detail {

std::string lower(std::string_view s);

/// An http or https URL taken apart the way Tornado's simple client uses it.
struct ParsedUrl {
    std::string scheme;  // lower case
    std::string netloc;  // host[:port] as written, without user:password@
    std::string host;    // without the brackets of an IPv6 literal
    std::uint16_t port = 0;
    std::string target;  // path and query; "/" when the URL has no path
    std::optional<std::string> username, password;

    /// "host:port", with brackets around an IPv6 address.
    std::string host_port() const;
};

/// @throws HTTPClientError (599) for a URL that is not http(s)://host[:port][/...].
ParsedUrl parse_url(const std::string& url);

/// The URL a Location header points to, relative to `base` (urllib.parse.urljoin for the shapes
/// servers send: absolute, scheme-relative, absolute-path, relative-path and query-only).
std::string resolve_location(const std::string& base, std::string_view location);

}  // namespace typhoon::httpclient::detail

#endif
