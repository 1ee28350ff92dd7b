#include <typhoon/http/http_server.hpp>

#include <typhoon/ioloop/gen.hpp>

#include "http1_connection.hpp"

#include <typhoon/core/log.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace typhoon::httpserver {

namespace {

awaitable<void> refused() {
    co_return;
}

}  // namespace

struct HTTPServer::Impl {
    std::shared_ptr<detail::ServerState> state;
};

HTTPServer::HTTPServer(RequestCallback callback, HTTPServerOptions options)
    : impl_(std::make_shared<Impl>(Impl{std::make_shared<detail::ServerState>(detail::ServerState{
          std::move(options), std::move(callback), nullptr, {}, false, nullptr})})) {}

HTTPServer::HTTPServer(httputil::HTTPServerConnectionDelegate& delegate, HTTPServerOptions options)
    : impl_(std::make_shared<Impl>(Impl{std::make_shared<detail::ServerState>(
          detail::ServerState{std::move(options), {}, &delegate, {}, false, nullptr})})) {}

HTTPServer::~HTTPServer() {
    stop();
    for (auto* connection : impl_->state->connections)
        connection->close();
}

std::size_t HTTPServer::connection_count() const noexcept {
    return impl_->state->connections.size();
}

namespace {

// Each kind of connection is served by its own coroutine, so that an idle plain connection's
// frame holds no TLS objects: memory per idle connection is one of the server's targets. The TLS
// handshake happens in Http1Connection::serve(), under the connection's header deadline.
template <class Socket>
awaitable<void> serve(std::shared_ptr<detail::ServerState> state, Socket socket,
                      std::string address) {
    detail::Http1Connection<Socket> connection(std::move(state), std::move(socket),
                                               std::move(address));
    co_await connection.serve();
}

awaitable<void> serve_tls(std::shared_ptr<detail::ServerState> state, iostream::TCPSocket socket,
                          std::string address) {
    auto& context = *state->options.ssl_context;
    detail::Http1Connection<iostream::TLSSocket> connection(
        std::move(state), iostream::TLSSocket(std::move(socket), context), std::move(address));
    co_await connection.serve();
}

}  // namespace

awaitable<void> HTTPServer::handle_connection(iostream::Stream stream, std::string address) {
    auto& state = *impl_->state;
    if (state.connections.size() >= state.options.max_connections) {
        // Closing at once costs the client a retry and us nothing; the accept loop goes on.
        if (!state.over_capacity) {
            log::gen_log.warning("max_connections (" +
                                 std::to_string(state.options.max_connections) +
                                 ") reached: refusing new connections");
            state.over_capacity = true;
        }
        stream.close();
        return refused();
    }
    state.over_capacity = false;
    if (stream.unix_socket()) return serve(impl_->state, stream.take_unix(), std::move(address));
    if (impl_->state->options.ssl_context)
        return serve_tls(impl_->state, stream.take_tcp(), std::move(address));
    return serve(impl_->state, stream.take_tcp(), std::move(address));
}

awaitable<void> HTTPServer::shutdown(gen::Deadline deadline) {
    stop();
    auto state = impl_->state;
    state->shutting_down = true;
    boost::asio::steady_timer tick(co_await boost::asio::this_coro::executor);
    while (!state->connections.empty() && gen::Deadline::clock::now() < deadline.when()) {
        // Idle keep-alive connections go at once; busy ones close after their current response.
        for (auto* connection : state->connections)
            if (connection->idle()) connection->close();
        tick.expires_after(std::chrono::milliseconds(5));
        co_await tick.async_wait(boost::asio::use_awaitable);
    }
    for (auto* connection : state->connections)
        connection->close();
}

}  // namespace typhoon::httpserver
