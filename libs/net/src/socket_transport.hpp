#ifndef TYPHOON_NET_SRC_SOCKET_TRANSPORT_HPP
#define TYPHOON_NET_SRC_SOCKET_TRANSPORT_HPP

#include "transport.hpp"

#include <typhoon/net/stream.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <type_traits>

namespace typhoon::iostream::detail {

/// A Transport over a plain socket: TCP or a Unix stream socket.
template <class Socket>
class SocketTransport final : public Transport {
public:
    explicit SocketTransport(Socket socket) : socket_(std::move(socket)) {}

    awaitable<std::pair<boost::system::error_code, std::size_t>> read_some(
        boost::asio::mutable_buffer buffer) override {
        auto [ec, n] = co_await socket_.async_read_some(
            buffer, boost::asio::as_tuple(boost::asio::use_awaitable));
        co_return std::pair{ec, n};
    }

    awaitable<boost::system::error_code> write_all(boost::asio::const_buffer buffer) override {
        auto [ec, n] = co_await boost::asio::async_write(
            socket_, buffer, boost::asio::as_tuple(boost::asio::use_awaitable));
        co_return ec;
    }

    void close() noexcept override {
        boost::system::error_code ignored;
        socket_.shutdown(Socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

    boost::asio::any_io_executor get_executor() override { return socket_.get_executor(); }

    void set_nodelay(bool enabled) override {
        if constexpr (std::is_same_v<Socket, boost::asio::ip::tcp::socket>) {
            boost::system::error_code ignored;  // a closed socket has no options to set
            socket_.set_option(boost::asio::ip::tcp::no_delay(enabled), ignored);
        }
    }

    std::string peer_address() const override {
        if constexpr (std::is_same_v<Socket, boost::asio::ip::tcp::socket>)
            return iostream::peer_address(socket_);
        else
            return {};
    }

    Socket& socket() noexcept { return socket_; }

private:
    Socket socket_;
};

}  // namespace typhoon::iostream::detail

#endif
