#ifndef TYPHOON_HTTP_HTTP_SERVER_HPP
#define TYPHOON_HTTP_HTTP_SERVER_HPP

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
    /// How long a keep-alive connection may wait for its next request.
    std::chrono::steady_clock::duration idle_connection_timeout = 3600s;
    /// How long a client may take to send a request's header block once it started (slowloris).
    std::chrono::steady_clock::duration header_timeout = 30s;
    /// How long the body may take to arrive, and a response to be accepted by the client.
    std::chrono::steady_clock::duration body_timeout = 300s;
};

/// Called once per request with the whole body read: Tornado's `request_callback`.
using RequestCallback = std::function<awaitable<void>(httputil::HTTPServerRequest& request,
                                                      httputil::HTTPConnection& connection)>;

/** A non-blocking HTTP/1.1 server (tornado.httpserver.HTTPServer) on Boost.Beast's parser:
    keep-alive, pipelining (answers in request order), chunked request bodies,
    `Expect: 100-continue`, HEAD, HTTP/1.0, and HTTPS with `ssl_context`.

    Bad input never reaches the application: a malformed request is answered 400, a header block
    over max_header_size 431, a body over max_body_size 413, an unknown Transfer-Encoding 501,
    and request-smuggling shapes (Content-Length with Transfer-Encoding, two different
    Content-Lengths, folded header lines) 400; each closes the connection and is logged once on
    gen_log at info level. The server goes on serving everyone else. */
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
    awaitable<void> handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                  std::string address) override;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace typhoon::httpserver

#endif
