#ifndef TYPHOON_HTTP_SERVER_REQUEST_HPP
#define TYPHOON_HTTP_SERVER_REQUEST_HPP

#include <typhoon/http/arguments.hpp>
#include <typhoon/http/headers.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace typhoon::httputil {

/// What a request is built from; every member may be left out (designated initialisers).
struct HTTPServerRequestOptions {
    std::string method = "GET";
    std::string uri = "/";
    std::string version = "HTTP/1.0";
    HTTPHeaders headers{};
    std::string body{};
    /// Defaults to the Host header, then to "127.0.0.1", as in Tornado.
    std::optional<std::string> host{};
    std::string remote_ip{};
    /// "http" or "https": the scheme the client used (after `xheaders` were applied).
    std::string protocol = "http";
};

/** One HTTP request as a handler sees it (tornado.httputil.HTTPServerRequest). The members are
    public, like Tornado's attributes: the server fills them, handlers read them.

    `arguments` holds the query arguments and, after parse_body(), the form arguments too;
    `query_arguments` and `body_arguments` keep the two apart. Values are raw bytes. */
class HTTPServerRequest {
public:
    explicit HTTPServerRequest(HTTPServerRequestOptions options = {});

    std::string method;
    std::string uri;
    std::string version;
    HTTPHeaders headers;
    std::string body;
    std::string remote_ip;
    std::string protocol;
    std::string host;
    /// `host` lowered and without its port.
    std::string host_name;
    /// `uri` before the first '?', and after it.
    std::string path;
    std::string query;
    Arguments arguments;
    Arguments query_arguments;
    Arguments body_arguments;
    Files files;

    /** The cookies of the Cookie header. Names Python's http.cookies would refuse (see
        is_legal_cookie_name()) are left out, as Tornado leaves them out; a malformed header gives
        no cookies rather than an error. Parsed on first use. */
    const std::map<std::string, std::string, std::less<>>& cookies() const;

    /// protocol + "://" + host + uri.
    std::string full_url() const;

    /** Seconds from construction until finish() was called, or until now before that
        (tornado's request_time()). */
    double request_time() const;
    /// Stops the request_time() clock; the server calls it when the response is complete.
    void finish() noexcept;

    /** Parses a form body into body_arguments and files and adds those arguments to `arguments`
        (Tornado does this before calling the handler).
        @throws HTTPInputError for a malformed form body; the server answers 400. */
    void parse_body();

private:
    std::chrono::steady_clock::time_point start_time_;
    std::optional<std::chrono::steady_clock::time_point> finish_time_;
    mutable std::optional<std::map<std::string, std::string, std::less<>>> cookies_;
};

}  // namespace typhoon::httputil

#endif
