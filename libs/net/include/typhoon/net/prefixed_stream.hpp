#ifndef TYPHOON_NET_PREFIXED_STREAM_HPP
#define TYPHOON_NET_PREFIXED_STREAM_HPP

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>

#include <string>
#include <utility>

namespace typhoon::iostream {

/** An Asio stream (AsyncReadStream and AsyncWriteStream, as Beast wants one) that first yields
    bytes read before it was made, then reads from `Next`: how a Stream's `buffered` bytes reach a
    protocol that reads the socket itself. The bytes an HTTP server read past an upgrade request,
    for instance, belong to the WebSocket:

        PrefixedStream<TCPSocket> next(stream.take_tcp(), std::move(stream.buffered));
        boost::beast::websocket::stream<PrefixedStream<TCPSocket>> ws(std::move(next));

    Once the prefix is consumed, reads go straight to `Next`. Beast's WebSocket also needs a
    `teardown()` for it, found by argument-dependent lookup in this namespace; the WebSocket
    library defines those. */
template <class Next>
class PrefixedStream {
public:
    /// The executor of `Next`, on which every operation completes.
    using executor_type = typename Next::executor_type;
    /// The stream under it (Beast's get_lowest_layer() walks through it).
    using next_layer_type = Next;

    /// Reads `prefix` first, then from `next`.
    PrefixedStream(Next next, std::string prefix)
        : next_(std::move(next)), prefix_(std::move(prefix)) {}

    /// The executor of the stream under it.
    executor_type get_executor() noexcept { return next_.get_executor(); }
    ///@{
    /// The stream under it.
    Next& next_layer() noexcept { return next_; }
    const Next& next_layer() const noexcept { return next_; }
    ///@}

    /// Reads from what is left of the prefix, or from `Next` once it is consumed (Asio's
    /// AsyncReadStream: at least one byte, or an error).
    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        // Every read but the first few goes straight to the socket: no handler of ours per read.
        if (prefix_.empty()) return next_.async_read_some(buffers, std::forward<Token>(token));
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& buffers) {
                const std::size_t n =
                    boost::asio::buffer_copy(buffers, boost::asio::buffer(prefix_));
                prefix_.erase(0, n);
                if (prefix_.empty()) std::string().swap(prefix_);
                auto executor = boost::asio::get_associated_executor(handler, get_executor());
                boost::asio::post(executor, boost::asio::append(std::move(handler),
                                                                boost::system::error_code(), n));
            },
            token, buffers);
    }

    /// Writes to `Next`.
    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return next_.async_write_some(buffers, std::forward<Token>(token));
    }

private:
    Next next_;
    std::string prefix_;
};

}  // namespace typhoon::iostream

#endif
