#ifndef TYPHOON_WEBSOCKET_SRC_PREFIXED_STREAM_HPP
#define TYPHOON_WEBSOCKET_SRC_PREFIXED_STREAM_HPP

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <string>
#include <utility>

namespace typhoon::websocket::detail {

/** A stream that first yields bytes read before it was made, then reads from `Next`: the bytes
    the HTTP server had read past an upgrade request belong to the WebSocket. */
template <class Next>
class PrefixedStream {
public:
    using executor_type = typename Next::executor_type;
    using next_layer_type = Next;

    PrefixedStream(Next next, std::string prefix)
        : next_(std::move(next)), prefix_(std::move(prefix)) {}

    executor_type get_executor() noexcept { return next_.get_executor(); }
    Next& next_layer() noexcept { return next_; }
    const Next& next_layer() const noexcept { return next_; }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        // Once the prefix is consumed (every read but the first few), straight to the socket:
        // no handler moves of our own on each read.
        if (prefix_.empty()) return next_.async_read_some(buffers, std::forward<Token>(token));
        return boost::asio::async_initiate<Token, void(boost::beast::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& buffers) {
                const std::size_t n =
                    boost::asio::buffer_copy(buffers, boost::asio::buffer(prefix_));
                prefix_.erase(0, n);
                if (prefix_.empty()) std::string().swap(prefix_);
                auto executor = boost::asio::get_associated_executor(handler, get_executor());
                boost::asio::post(executor, boost::beast::bind_front_handler(
                                                std::move(handler), boost::beast::error_code(), n));
            },
            token, buffers);
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return next_.async_write_some(buffers, std::forward<Token>(token));
    }

    // Beast's WebSocket ends the transport with teardown(): here that of the TCP socket. Over
    // TLS that skips the close_notify alert, as Tornado's SSLIOStream does on close (and Beast
    // 1.81's own TLS teardown is ambiguous to Clang).
    friend void teardown(boost::beast::role_type role, PrefixedStream& stream,
                         boost::beast::error_code& ec) {
        boost::beast::websocket::teardown(role, boost::beast::get_lowest_layer(stream.next_), ec);
    }

    template <class Handler>
    friend void async_teardown(boost::beast::role_type role, PrefixedStream& stream,
                               Handler&& handler) {
        boost::beast::websocket::async_teardown(role, boost::beast::get_lowest_layer(stream.next_),
                                                std::forward<Handler>(handler));
    }

private:
    Next next_;
    std::string prefix_;
};

}  // namespace typhoon::websocket::detail

#endif
