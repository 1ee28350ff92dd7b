#ifndef TYPHOON_HTTP_CLIENT_REQUEST_HPP
#define TYPHOON_HTTP_CLIENT_REQUEST_HPP

#include <typhoon/http/headers.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace boost::asio::ssl {
class context;
}

namespace typhoon::httpclient {

using boost::asio::awaitable;

/// Sends one piece of a streamed request body; completes once the socket took it.
using BodyWrite = std::function<awaitable<void>(std::string_view chunk)>;

/** Writes a request body piece by piece (Tornado's `body_producer`): without a Content-Length
    header the body is sent chunked.

        .body_producer = [](const BodyWrite& write) -> awaitable<void> {
            co_await write("first,");
            co_await write("second");
        }  */
using BodyProducer = std::function<awaitable<void>(const BodyWrite& write)>;

/** One HTTP request for AsyncHTTPClient::fetch (tornado.httpclient.HTTPRequest). Every member has
    a default, so requests are written with designated initialisers:

        co_await client.fetch(url, {.method = "POST", .body = b, .request_timeout = 5s});

    A zero timeout means no timeout, as in Tornado. */
struct HTTPRequest {
    /// http:// or https://, with an optional user:password@ (basic authentication).
    std::string url{};
    /// Sent as given; which methods may carry a body is described at `body`. It must be a token
    /// (RFC 9110 §9.1): a space or control byte is refused before anything is sent.
    std::string method = "GET";
    /// Sent as given; the client adds Host, User-Agent and the body's framing headers when absent.
    /// Names must be tokens and values free of control bytes other than tab (RFC 9110 §5.5):
    /// anything else is refused before anything is sent.
    httputil::HTTPHeaders headers{};
    /** POST, PUT and PATCH need a body (or body_producer); other methods must have none, unless
        allow_nonstandard_methods. A POST without Content-Type is sent as
        application/x-www-form-urlencoded, as in Tornado. */
    std::optional<std::string> body{};
    /// Streams the body instead of `body` (see BodyProducer).
    BodyProducer body_producer{};
    ///@{
    /// Credentials for an Authorization header (auth_mode); a user:password in the URL
    /// is used when these are unset.
    std::optional<std::string> auth_username{};
    std::optional<std::string> auth_password{};
    ///@}
    /// Only "basic" is supported (as in Tornado's simple client).
    std::string auth_mode = "basic";
    /// From the start of the request (after waiting in the client's queue) to the connection.
    std::chrono::steady_clock::duration connect_timeout = std::chrono::seconds(20);
    /// From the start of the request to the end of the response, per redirect hop.
    std::chrono::steady_clock::duration request_timeout = std::chrono::seconds(20);
    /// Sent as If-Modified-Since.
    std::optional<std::chrono::system_clock::time_point> if_modified_since{};
    /// Follow 301, 302, 303, 307 and 308 responses, at most max_redirects times. A 303 turns any
    /// method into GET without a body, and so does a 301 or 302 of a POST (as browsers and
    /// Tornado do). A hop to another origin drops Authorization, Cookie and the auth_ members.
    bool follow_redirects = true;
    /// After this many redirects, a further redirect response is returned (or thrown, with
    /// raise_error) as it is.
    int max_redirects = 5;
    /// The User-Agent header; by default "Typhoon/<version>".
    std::optional<std::string> user_agent{};
    /// Ask for gzip (Accept-Encoding) and decompress a gzip response; its Content-Encoding header
    /// is then renamed X-Consumed-Content-Encoding.
    bool decompress_response = true;
    /** Receives the body piece by piece as it arrives (decompressed), instead of buffering it
        in HTTPResponse::body. Not called for the bodies of redirects that are followed. */
    std::function<void(std::string_view chunk)> streaming_callback{};
    /** Receives the status line and each header line ("Name: value\r\n"), then "\r\n", as in
        Tornado. Not called for redirects that are followed. */
    std::function<void(std::string_view line)> header_callback{};
    /// Through an HTTP proxy: https URLs tunnel through CONNECT; http URLs are sent to the proxy
    /// with an absolute URL.
    std::string proxy_host{};
    std::uint16_t proxy_port = 0;  ///< the proxy's port; set it with proxy_host
    ///@{
    /// Basic credentials for the proxy (Proxy-Authorization).
    std::optional<std::string> proxy_username{};
    std::optional<std::string> proxy_password{};
    ///@}
    /// Let any method carry (or omit) a body.
    bool allow_nonstandard_methods = false;
    /// Check the server's certificate against trusted CAs and its name against the host (on by
    /// default; SNI is always sent for host names).
    bool validate_cert = true;
    /// PEM file of the CAs to trust instead of the system's.
    std::string ca_certs{};
    /// PEM files of a client certificate and its key (the key may be in client_cert).
    std::string client_cert{};
    std::string client_key{};  ///< PEM file of client_cert's key, when it is not in client_cert
    /// Send the headers with `Expect: 100-continue` and the body only once the server says 100.
    bool expect_100_continue = false;
    ///@{
    /// Override the client's limits for this request.
    std::optional<std::size_t> max_header_size{};
    std::optional<std::size_t> max_body_size{};
    ///@}
    /// Throw HTTPClientError for a response outside 2xx (Tornado's fetch(raise_error=True)).
    /// Failures without a response (code 599) are thrown either way, as in Tornado.
    bool raise_error = true;
};

/** The TLS context a request's settings ask for (`validate_cert`, `ca_certs`, `client_cert`,
    `client_key`), made by net's one factory (netutil::ssl_options_to_context()): what
    AsyncHTTPClient and websocket_connect() connect with.
    @throws HTTPClientError (599) naming the files when one cannot be loaded. */
std::shared_ptr<boost::asio::ssl::context> ssl_context_for(const HTTPRequest& request);

}  // namespace typhoon::httpclient

#endif
