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

struct HTTPServer::Impl {
    std::shared_ptr<detail::ServerState> state;
};

HTTPServer::HTTPServer(RequestCallback callback, HTTPServerOptions options)
    : impl_(std::make_shared<Impl>(Impl{std::make_shared<detail::ServerState>(
          detail::ServerState{std::move(options), std::move(callback), nullptr, {}, false})})) {}

HTTPServer::HTTPServer(httputil::HTTPServerConnectionDelegate& delegate, HTTPServerOptions options)
    : impl_(std::make_shared<Impl>(Impl{std::make_shared<detail::ServerState>(
          detail::ServerState{std::move(options), {}, &delegate, {}, false})})) {}

HTTPServer::~HTTPServer() {
    stop();
    for (auto* connection : impl_->state->connections)
        connection->close();
}

std::size_t HTTPServer::connection_count() const noexcept {
    return impl_->state->connections.size();
}

awaitable<void> HTTPServer::handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                          std::string address) {
    // Beast reads straight from the socket: the IOStream only delivered the accepted connection.
    auto state = impl_->state;
    boost::beast::tcp_stream tcp(stream->release_socket());
    stream.reset();
    if (!state->options.ssl_context) {
        detail::Http1Connection<boost::beast::tcp_stream> connection(state, std::move(tcp),
                                                                     std::move(address));
        co_await connection.serve();
        co_return;
    }
    boost::beast::ssl_stream<boost::beast::tcp_stream> tls(std::move(tcp),
                                                           *state->options.ssl_context);
    boost::beast::get_lowest_layer(tls).expires_after(state->options.header_timeout);
    auto [ec] = co_await tls.async_handshake(boost::asio::ssl::stream_base::server,
                                             boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec) {  // a client that cannot speak TLS is the client's problem, not the server's
        log::gen_log.warning("SSL Error on connection from " + address + ": " + ec.message());
        co_return;
    }
    detail::Http1Connection<boost::beast::ssl_stream<boost::beast::tcp_stream>> connection(
        state, std::move(tls), std::move(address));
    co_await connection.serve();
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
