#include <typhoon/net/ssl_iostream.hpp>

#include "socket_transport.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>

namespace typhoon::iostream {

namespace asio = boost::asio;

namespace detail {

/// A Transport over TLS on a TCP socket.
class TLSTransport final : public Transport {
public:
    TLSTransport(asio::ip::tcp::socket socket, asio::ssl::context& context)
        : stream_(std::move(socket), context) {}

    awaitable<boost::system::error_code> handshake(const TLSOptions& options) {
        if (!options.server_side && !options.server_hostname.empty())
            SSL_set_tlsext_host_name(stream_.native_handle(), options.server_hostname.c_str());
        const auto type =
            options.server_side ? asio::ssl::stream_base::server : asio::ssl::stream_base::client;
        auto [ec] = co_await stream_.async_handshake(type, asio::as_tuple(asio::use_awaitable));
        co_return ec;
    }

    awaitable<std::pair<boost::system::error_code, std::size_t>> read_some(
        asio::mutable_buffer buffer) override {
        auto [ec, n] =
            co_await stream_.async_read_some(buffer, asio::as_tuple(asio::use_awaitable));
        // A peer that closes without close_notify ends the stream like a plain EOF.
        if (ec == asio::ssl::error::stream_truncated) ec = asio::error::eof;
        co_return std::pair{ec, n};
    }

    awaitable<boost::system::error_code> write_all(asio::const_buffer buffer) override {
        auto [ec, n] =
            co_await asio::async_write(stream_, buffer, asio::as_tuple(asio::use_awaitable));
        co_return ec;
    }

    void close() noexcept override {
        boost::system::error_code ignored;
        stream_.lowest_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        stream_.lowest_layer().close(ignored);
    }

    asio::any_io_executor get_executor() override { return stream_.get_executor(); }

    void set_nodelay(bool enabled) override {
        boost::system::error_code ignored;
        stream_.lowest_layer().set_option(asio::ip::tcp::no_delay(enabled), ignored);
    }

    std::string peer_address() const override {
        boost::system::error_code ec;
        const auto peer = stream_.next_layer().remote_endpoint(ec);
        if (ec) return {};
        const auto address = peer.address();
        return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
               std::to_string(peer.port());
    }

private:
    asio::ssl::stream<asio::ip::tcp::socket> stream_;
};

}  // namespace detail

SSLIOStream::SSLIOStream(asio::ip::tcp::socket socket, asio::ssl::context& context,
                         IOStreamOptions options)
    : IOStream(std::make_unique<detail::TLSTransport>(std::move(socket), context), options) {}

awaitable<void> SSLIOStream::handshake(TLSOptions options) {
    auto& tls = static_cast<detail::TLSTransport&>(transport());
    if (const auto ec = co_await tls.handshake(options)) {
        close();
        throw StreamClosedError(ec);
    }
}

awaitable<std::unique_ptr<SSLIOStream>> start_tls(std::unique_ptr<IOStream> stream,
                                                  asio::ssl::context& context, TLSOptions options) {
    auto socket = stream->release_socket();
    auto tls = std::make_unique<SSLIOStream>(std::move(socket), context);
    co_await tls->handshake(std::move(options));
    co_return tls;
}

}  // namespace typhoon::iostream
