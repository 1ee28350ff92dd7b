#ifndef TYPHOON_HTTP_HTTP_SERVER_HPP
#define TYPHOON_HTTP_HTTP_SERVER_HPP

#include <typhoon/http/chunk_limits.hpp>
#include <typhoon/http/http_connection.hpp>
#include <typhoon/ioloop/timeout.hpp>
#include <typhoon/net/tcp_server.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

/// The HTTP/1.1 server (tornado.httpserver).
namespace typhoon::httpserver {

using boost::asio::awaitable;
using namespace std::chrono_literals;

/// The keyword arguments of tornado.httpserver.HTTPServer: TLS, proxies, limits and timeouts.
struct HTTPServerOptions {
    /// Serve HTTPS with this context (certificate and key loaded); null serves plain HTTP. The
    /// TLS handshake must finish within header_timeout.
    std::shared_ptr<boost::asio::ssl::context> ssl_context{};
    /// Trust X-Real-Ip / X-Forwarded-For and X-Scheme / X-Forwarded-Proto for remote_ip and
    /// protocol: for a server behind a reverse proxy such as nginx.
    bool xheaders = false;
    /// Proxies whose X-Forwarded-For entries are skipped to find the client (with xheaders).
    std::vector<std::string> trusted_downstream{};
    /// Close every connection after one request.
    bool no_keep_alive = false;
    /// Decompress `Content-Encoding: gzip` request bodies before the application sees them; the
    /// header is then renamed X-Consumed-Content-Encoding. The decompressed size is what
    /// max_body_size limits.
    bool decompress_request = false;
    /// Largest request line plus headers; a larger header block is answered 431.
    std::size_t max_header_size = 64 * 1024;
    /// Largest request body; a larger one is answered 413.
    std::size_t max_body_size = 100 * 1024 * 1024;
    /// How long a keep-alive connection may wait for its next request (nginx's keepalive_timeout
    /// default); blank lines sent meanwhile do not extend it. The connection is closed silently.
    std::chrono::steady_clock::duration idle_connection_timeout = 75s;
    /// How long a client may take to send a request's header block once it started (slowloris).
    std::chrono::steady_clock::duration header_timeout = 30s;
    /// HTTP connections served at once. A connection beyond them is closed as soon as it is
    /// accepted (logged once per overload, on gen_log at warning level); accepting goes on. A
    /// WebSocket or other connection taken over by the application no longer counts.
    std::size_t max_connections = 10000;
    /// How long the whole body may take to arrive (a deadline from the end of the header block,
    /// not renewed by each read), and a response to be accepted by the client.
    std::chrono::steady_clock::duration body_timeout = 300s;
};

/// Called once per request with the whole body read: Tornado's `request_callback`.
using RequestCallback = std::function<awaitable<void>(httputil::HTTPServerRequest& request,
                                                      httputil::HTTPConnection& connection)>;

/** A non-blocking HTTP/1.1 server (tornado.httpserver.HTTPServer) on Boost.Beast's parser:
    keep-alive, pipelining (answers in request order), chunked request bodies,
    `Expect: 100-continue`, HEAD, HTTP/1.0, and HTTPS with `ssl_context`.

    Bad input never reaches the application (RFC 9112): a malformed request is answered 400
    (a line ending in a bare LF, a control character, a header name that is not a token, a
    Content-Length or chunk size that is not plain digits, an HTTP/1.1 request with no Host, two
    Host fields or an invalid one, Transfer-Encoding in HTTP/1.0); a header block over
    max_header_size (or a chunked body's trailers that make it so) 431, a chunk-size line over
    max_chunk_line_size (chunk_limits.hpp) 400, a body over max_body_size 413, a Transfer-Encoding
    other than a final lone `chunked` 501, an HTTP major version other than 1 505, an Expect other
    than 100-continue 417; request-smuggling shapes (Content-Length with Transfer-Encoding, two
    different Content-Lengths, two Transfer-Encodings, folded header lines) 400. Each closes the
    connection and is logged once on gen_log at info level. The server goes on serving everyone
    else. HTTP/1.2 and later 1.x are served as HTTP/1.1; an absolute-form target
    (`GET http://host/path HTTP/1.1`) is routed by its path, with its authority as the host. */
class HTTPServer final : public tcpserver::TCPServer {
public:
    /// Calls `callback` for each request once its body has been read whole (and parsed as a form).
    explicit HTTPServer(RequestCallback callback, HTTPServerOptions options = {});
    /// `delegate` must outlive the server.
    explicit HTTPServer(httputil::HTTPServerConnectionDelegate& delegate,
                        HTTPServerOptions options = {});
    ~HTTPServer() override;

    /** Graceful shutdown: stops accepting, closes connections idle between requests, lets
        requests in flight finish until `deadline`, then closes what is left. */
    awaitable<void> shutdown(gen::Deadline deadline);

    /// Connections open now (idle or busy).
    std::size_t connection_count() const noexcept;

protected:
    /// Beast reads the socket itself: the accepted connection goes to an HTTP/1 connection as
    /// it is, without an IOStream; over TLS the connection shakes hands first, within
    /// header_timeout.
    awaitable<void> handle_connection(iostream::Stream stream, std::string address) override;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace typhoon::httpserver

#endif
