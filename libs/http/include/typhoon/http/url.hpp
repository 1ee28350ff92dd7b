#ifndef TYPHOON_HTTP_URL_HPP
#define TYPHOON_HTTP_URL_HPP

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace typhoon::httputil {

/** `url` with `args` appended to its query (tornado.httputil.url_concat):
    `url_concat("http://example.com/foo?a=b", {{"c", "d"}})` is
    "http://example.com/foo?a=b&c=d". The existing query is re-encoded as Tornado does (spaces
    as '+', everything but `A-Za-z0-9_.-~` percent-encoded), and the fragment is kept. */
std::string url_concat(std::string_view url,
                       const std::vector<std::pair<std::string, std::string>>& args);

/// "example.com:8080" → {"example.com", 8080}; without a ":digits" suffix the port is empty
/// (tornado.httputil.split_host_and_port; "[::1]:80" → {"[::1]", 80}).
std::pair<std::string, std::optional<int>> split_host_and_port(std::string_view netloc);

}  // namespace typhoon::httputil

#endif
