#ifndef TYPHOON_NET_SRC_TLS_TRANSPORT_HPP
#define TYPHOON_NET_SRC_TLS_TRANSPORT_HPP

#include "transport.hpp"

#include <typhoon/net/stream.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace typhoon::iostream::detail {

/// A Transport over TLS on a TCP socket.
class TLSTransport final : public Transport {
public:
    explicit TLSTransport(TLSSocket stream) : stream_(std::move(stream)) {}

    TLSSocket& stream() noexcept { return stream_; }

    awaitable<std::pair<boost::system::error_code, std::size_t>> read_some(
        boost::asio::mutable_buffer buffer) override {
        auto [ec, n] = co_await stream_.async_read_some(
            buffer, boost::asio::as_tuple(boost::asio::use_awaitable));
        // A peer that closes without close_notify ends the stream like a plain EOF.
        if (ec == boost::asio::ssl::error::stream_truncated) ec = boost::asio::error::eof;
        co_return std::pair{ec, n};
    }

    awaitable<boost::system::error_code> write_all(boost::asio::const_buffer buffer) override {
        auto [ec, n] = co_await boost::asio::async_write(
            stream_, buffer, boost::asio::as_tuple(boost::asio::use_awaitable));
        co_return ec;
    }

    void close() noexcept override {
        boost::system::error_code ignored;
        stream_.next_layer().shutdown(TCPSocket::shutdown_both, ignored);
        stream_.next_layer().close(ignored);
    }

    boost::asio::any_io_executor get_executor() override { return stream_.get_executor(); }

    void set_nodelay(bool enabled) override {
        boost::system::error_code ignored;
        stream_.next_layer().set_option(boost::asio::ip::tcp::no_delay(enabled), ignored);
    }

    std::string peer_address() const override {
        return iostream::peer_address(stream_.next_layer());
    }

private:
    TLSSocket stream_;
};

}  // namespace typhoon::iostream::detail

#endif
