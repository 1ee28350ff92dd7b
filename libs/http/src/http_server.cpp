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

namespace typhoon::httputil {

awaitable<void> HTTPMessageDelegate::headers_received(HTTPServerRequest&) {
    co_return;
}

awaitable<void> HTTPMessageDelegate::data_received(HTTPServerRequest& request,
                                                   std::string_view chunk) {
    request.body.append(chunk);
    co_return;
}

}  // namespace typhoon::httputil

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

using TLSStream = boost::beast::ssl_stream<boost::asio::ip::tcp::socket>;

// Plain and TLS connections are served by separate coroutines, so that an idle plain connection's
// frame holds no TLS objects: memory per idle connection is one of the server's targets. The TLS
// handshake happens in Http1Connection::serve(), under the connection's header deadline.
awaitable<void> serve_plain(std::shared_ptr<detail::ServerState> state,
                            boost::asio::ip::tcp::socket socket, std::string address) {
    detail::Http1Connection<boost::asio::ip::tcp::socket> connection(
        std::move(state), std::move(socket), std::move(address));
    co_await connection.serve();
}

awaitable<void> serve_tls(std::shared_ptr<detail::ServerState> state,
                          boost::asio::ip::tcp::socket socket, std::string address) {
    auto& context = *state->options.ssl_context;
    detail::Http1Connection<TLSStream> connection(
        std::move(state), TLSStream(std::move(socket), context), std::move(address));
    co_await connection.serve();
}

}  // namespace

awaitable<void> HTTPServer::handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                          std::string address) {
    // Beast reads straight from the socket: the IOStream only delivered the accepted connection.
    auto socket = stream->release_socket();
    stream.reset();
    auto& state = *impl_->state;
    if (state.connections.size() >= state.options.max_connections) {
        // Closing at once costs the client a retry and us nothing; the accept loop goes on.
        if (!state.over_capacity) {
            log::gen_log.warning("max_connections (" +
                                 std::to_string(state.options.max_connections) +
                                 ") reached: refusing new connections");
            state.over_capacity = true;
        }
        boost::system::error_code ignored;
        socket.close(ignored);
        return refused();
    }
    state.over_capacity = false;
    if (impl_->state->options.ssl_context)
        return serve_tls(impl_->state, std::move(socket), std::move(address));
    return serve_plain(impl_->state, std::move(socket), std::move(address));
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
