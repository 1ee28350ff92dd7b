#ifndef TYPHOON_HTTP_START_LINE_HPP
#define TYPHOON_HTTP_START_LINE_HPP

#include <string>
#include <string_view>

namespace typhoon::httputil {

/// "GET /foo HTTP/1.1" taken apart (tornado.httputil.RequestStartLine).
struct RequestStartLine {
    std::string method{};   ///< "GET"
    std::string path{};     ///< the request target: "/foo?x=1", still %-encoded
    std::string version{};  ///< "HTTP/1.1"
    /// Member-wise comparison.
    bool operator==(const RequestStartLine&) const = default;
};

/** Splits a request line into its three parts (tornado.httputil.parse_request_start_line).
    @throws HTTPInputError unless the line has exactly three space-separated parts and an
    `HTTP/1.x` version; the server answers 400 (RFC 7230 §3.1.1). */
RequestStartLine parse_request_start_line(std::string_view line);

/// "HTTP/1.1 200 OK" taken apart (tornado.httputil.ResponseStartLine).
struct ResponseStartLine {
    std::string version{};  ///< "HTTP/1.1"
    int code = 0;           ///< 200
    std::string reason{};   ///< "OK"; may be empty
    /// Member-wise comparison.
    bool operator==(const ResponseStartLine&) const = default;
};

/** Splits a status line (tornado.httputil.parse_response_start_line).
    @throws HTTPInputError when it does not start with `HTTP/1.x <digits> `. */
ResponseStartLine parse_response_start_line(std::string_view line);

}  // namespace typhoon::httputil

#endif
