#include <typhoon/net/tcp_server.hpp>

#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/net/process.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <sys/socket.h>

namespace typhoon::tcpserver {

namespace asio = boost::asio;
using iostream::IOStream;

struct TCPServer::Impl {
    TCPServer* owner;  // null once the server is destroyed: late accepts are then dropped
    TCPServerOptions options;
    std::vector<netutil::BoundSocket> pending;
    std::vector<std::shared_ptr<asio::ip::tcp::acceptor>> tcp_acceptors;
    std::vector<std::shared_ptr<asio::local::stream_protocol::acceptor>> unix_acceptors;
    std::vector<std::uint16_t> ports;
    bool started = false;

    /// Logs what escaped a connection's coroutine; the server carries on.
    static void log_failure(const std::exception_ptr& failure) {
        if (!failure) return;
        try {
            std::rethrow_exception(failure);
        } catch (...) {
            log::app_log.exception("Error in connection callback");
        }
    }

    template <class Acceptor>
    static awaitable<void> accept_loop(std::shared_ptr<Impl> impl,
                                       std::shared_ptr<Acceptor> acceptor) {
        const auto executor = acceptor->get_executor();
        for (;;) {
            auto [ec, socket] =
                co_await acceptor->async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec == asio::error::operation_aborted || !acceptor->is_open() || !impl->owner)
                co_return;
            if (ec) {
                // Out of descriptors or memory: report, let connections finish, try again.
                log::gen_log.error("Error accepting a connection: " + ec.message());
                asio::steady_timer pause(executor, std::chrono::milliseconds(100));
                co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            std::string address;
            if constexpr (std::is_same_v<Acceptor, asio::ip::tcp::acceptor>)
                address = iostream::peer_address(socket);
            // The connection's own coroutine is spawned as it is, with no frame of ours around
            // it: each frame is held by every connection for as long as it is open.
            try {
                asio::co_spawn(executor,
                               impl->owner->handle_connection(iostream::Stream(std::move(socket)),
                                                              std::move(address)),
                               &Impl::log_failure);
            } catch (...) {
                log::app_log.exception("Error in connection callback");
            }
        }
    }
};

TCPServer::TCPServer(TCPServerOptions options)
    : impl_(std::make_shared<Impl>(Impl{this, std::move(options), {}, {}, {}, {}, false})) {}

TCPServer::~TCPServer() {
    stop();
    impl_->owner = nullptr;
}

void TCPServer::listen(std::uint16_t port, std::string_view address, netutil::BindOptions options) {
    add_sockets(netutil::bind_sockets(port, address, options));
}

void TCPServer::add_sockets(std::vector<netutil::BoundSocket> sockets) {
    for (auto& socket : sockets)
        add_socket(std::move(socket));
}

void TCPServer::add_socket(netutil::BoundSocket socket) {
    auto& loop = ioloop::IOLoop::current();
    const auto executor = loop.get_executor();
    if (socket.family() == AF_UNIX) {
        if (impl_->options.ssl_context) throw Error("TLS over Unix sockets is not supported");
        auto acceptor = std::make_shared<asio::local::stream_protocol::acceptor>(
            loop.context(), asio::local::stream_protocol(), socket.release());
        impl_->unix_acceptors.push_back(acceptor);
        asio::co_spawn(executor, Impl::accept_loop(impl_, acceptor), asio::detached);
        return;
    }
    impl_->ports.push_back(socket.port());
    const auto protocol = socket.family() == AF_INET6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4();
    auto acceptor =
        std::make_shared<asio::ip::tcp::acceptor>(loop.context(), protocol, socket.release());
    impl_->tcp_acceptors.push_back(acceptor);
    asio::co_spawn(executor, Impl::accept_loop(impl_, acceptor), asio::detached);
}

void TCPServer::bind(std::uint16_t port, std::string_view address, netutil::BindOptions options) {
    for (auto& socket : netutil::bind_sockets(port, address, options))
        impl_->pending.push_back(std::move(socket));
}

void TCPServer::start(int num_processes, std::optional<int> max_restarts) {
    if (impl_->started) throw Error("TCPServer::start called twice");
    impl_->started = true;
    if (num_processes != 1) process::fork_processes(num_processes, max_restarts);
    add_sockets(std::exchange(impl_->pending, {}));
}

void TCPServer::stop() {
    boost::system::error_code ignored;
    for (auto& acceptor : impl_->tcp_acceptors)
        acceptor->close(ignored);
    for (auto& acceptor : impl_->unix_acceptors)
        acceptor->close(ignored);
    impl_->tcp_acceptors.clear();
    impl_->unix_acceptors.clear();
    impl_->pending.clear();
}

awaitable<void> TCPServer::handle_connection(iostream::Stream stream, std::string address) {
    if (!impl_->options.ssl_context) {
        co_await handle_stream(std::make_unique<IOStream>(std::move(stream), impl_->options.stream),
                               std::move(address));
        co_return;
    }
    auto tls =
        std::make_unique<iostream::TLSSocket>(stream.take_tcp(), *impl_->options.ssl_context);
    auto [ec] = co_await tls->async_handshake(asio::ssl::stream_base::server,
                                              asio::as_tuple(asio::use_awaitable));
    if (ec) {
        // A client that cannot speak TLS is the client's problem, not the server's.
        log::gen_log.warning("SSL Error on connection from " + address + ": " + ec.message());
        co_return;
    }
    co_await handle_stream(
        std::make_unique<IOStream>(iostream::Stream(std::move(tls)), impl_->options.stream),
        std::move(address));
}

awaitable<void> TCPServer::handle_stream(std::unique_ptr<IOStream>, std::string) {
    throw Error("TCPServer: a subclass must override handle_stream() or handle_connection()");
    co_return;
}

std::vector<std::uint16_t> TCPServer::ports() const {
    return impl_->ports;
}

}  // namespace typhoon::tcpserver
