#ifndef TYPHOON_NET_TCP_SERVER_HPP
#define TYPHOON_NET_TCP_SERVER_HPP

#include <typhoon/net/iostream.hpp>
#include <typhoon/net/netutil.hpp>
#include <typhoon/net/stream.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace boost::asio::ssl {
class context;
}

/// The TCP server base class (tornado.tcpserver).
namespace typhoon::tcpserver {

using boost::asio::awaitable;

/// The `ssl_options` and stream limits of tornado.tcpserver.TCPServer.
struct TCPServerOptions {
    /// Serve TLS with this context (certificate and key loaded); null serves plain TCP.
    std::shared_ptr<boost::asio::ssl::context> ssl_context{};
    /// Options of every accepted stream (buffer limits).
    iostream::IOStreamOptions stream{};
};

/** A non-blocking, single-threaded TCP server (tornado.tcpserver.TCPServer). Subclass it and
    override handle_stream(), a coroutine called for each connection:

        class EchoServer final : public TCPServer {
            awaitable<void> handle_stream(std::unique_ptr<IOStream> stream, std::string) override {
                for (;;) co_await stream->write(co_await stream->read_until("\n"));
            }
        };
        EchoServer server;
        server.listen(8888);
        IOLoop::current().start();

    Three ways to start, as in Tornado: `listen()` (one process); `bind()` then `start(n)` (fork
    n processes sharing the sockets); `bind_sockets()` then `add_sockets()` (full control, e.g.
    one loop per thread with `reuse_port`). Sockets are served on the loop that is current when
    they are added. The server must outlive the handle_stream() coroutines it started. */
class TCPServer {
public:
    /// A server with no sockets yet; nothing is accepted before listen(), add_sockets() or start().
    explicit TCPServer(TCPServerOptions options = {});
    /// Stops accepting (see stop()).
    virtual ~TCPServer();
    TCPServer(const TCPServer&) = delete;
    TCPServer& operator=(const TCPServer&) = delete;

    /// bind_sockets() and add_sockets() in one call. @throws boost::system::system_error.
    void listen(std::uint16_t port, std::string_view address = "",
                netutil::BindOptions options = {});
    ///@{
    /// Starts accepting on already-bound sockets, on the current IOLoop.
    void add_sockets(std::vector<netutil::BoundSocket> sockets);
    void add_socket(netutil::BoundSocket socket);
    ///@}
    /// Binds now; accepting begins at start(). May be called several times.
    void bind(std::uint16_t port, std::string_view address = "", netutil::BindOptions options = {});
    /** Forks `num_processes` processes (0: one per core; 1: no fork) with fork_processes(), then
        starts accepting on the bound sockets in each of them. Call it before any IOLoop exists
        when forking. */
    void start(int num_processes = 1, std::optional<int> max_restarts = {});
    /// Stops accepting new connections; connections already accepted carry on. Idempotent.
    void stop();

    /// The TCP ports being served (useful after listening on port 0).
    std::vector<std::uint16_t> ports() const;

protected:
    /** Called on the loop for each new connection, with the peer's "address:port" ("" for a
        Unix socket), as the server accepted it: a plain TCP or Unix socket, no TLS yet, nothing
        read. This is the seam a protocol server stands on: accept, then handshake, pick a
        protocol, hand over. The default does what Tornado's TCPServer does: the TLS handshake
        when `ssl_context` is set (a client that fails it is logged and dropped), then
        handle_stream() with a buffered IOStream. A server that reads the socket itself (the HTTP
        server: Beast parses straight from it) overrides this instead. An exception escaping it
        is logged on app_log and the connection closed; the server carries on. */
    virtual awaitable<void> handle_connection(iostream::Stream stream, std::string address);

    /** Called by handle_connection() for each new connection, with the stream ready to use (TLS
        handshake done). Subclasses override this one, as in Tornado; the default throws. */
    virtual awaitable<void> handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                          std::string address);

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace typhoon::tcpserver

#endif
