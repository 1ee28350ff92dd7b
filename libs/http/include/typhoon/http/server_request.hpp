#ifndef TYPHOON_HTTP_SERVER_REQUEST_HPP
#define TYPHOON_HTTP_SERVER_REQUEST_HPP

#include <typhoon/http/arguments.hpp>
#include <typhoon/http/headers.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

/// HTTP messages and their parts, shared by server and client (tornado.httputil): headers,
/// requests, arguments, cookies, dates, URLs.
namespace typhoon::httputil {

/// What a request is built from; every member may be left out (designated initialisers).
struct HTTPServerRequestOptions {
    ///@{
    /// Copied into the HTTPServerRequest members of the same name.
    std::string method = "GET";
    std::string uri = "/";
    std::string version = "HTTP/1.0";
    HTTPHeaders headers{};
    std::string body{};
    ///@}
    /// Defaults to the Host header, then to "127.0.0.1", as in Tornado.
    std::optional<std::string> host{};
    std::string remote_ip{};  ///< the client's address, as HTTPServerRequest::remote_ip
    /// "http" or "https": the scheme the client used (after `xheaders` were applied).
    std::string protocol = "http";
};

/** One HTTP request as a handler sees it (tornado.httputil.HTTPServerRequest). The members are
    public, like Tornado's attributes: the server fills them, handlers read them.

    `arguments` holds the query arguments and, after parse_body(), the form arguments too;
    `query_arguments` and `body_arguments` keep the two apart. Values are raw bytes. */
class HTTPServerRequest {
public:
    /** Takes the options' parts and derives the rest: `host` (from the Host header when not
        given), `host_name`, `path`, `query`, and `arguments` and `query_arguments` from the query
        (blank values kept). The body is not parsed until parse_body(). */
    explicit HTTPServerRequest(HTTPServerRequestOptions options = {});

    std::string method;     ///< "GET", "POST"... as sent (methods are case-sensitive)
    std::string uri;        ///< the request target as sent: path and query, still %-encoded
    std::string version;    ///< "HTTP/1.0" or "HTTP/1.1"
    HTTPHeaders headers;    ///< the request's header fields
    std::string body;       ///< the whole body (empty for a handler that streams it)
    std::string remote_ip;  ///< the client's address; with `xheaders`, the one the proxy reports
    std::string protocol;   ///< "http" or "https"; with `xheaders`, the scheme the proxy reports
    std::string host;       ///< the Host header, "127.0.0.1" without one
    /// `host` lowered and without its port.
    std::string host_name;
    ///@{
    /// `uri` before the first '?', and after it.
    std::string path;
    std::string query;
    ///@}
    Arguments arguments;        ///< query_arguments, then body_arguments, by name
    Arguments query_arguments;  ///< the arguments of `query`
    Arguments body_arguments;   ///< form fields of the body, after parse_body()
    Files files;                ///< uploaded files of a multipart body, after parse_body()

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
