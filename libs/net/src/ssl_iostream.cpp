#include <typhoon/net/ssl_iostream.hpp>

#include "tls_transport.hpp"

#include <typhoon/net/ssl_options.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>

namespace typhoon::iostream {

namespace asio = boost::asio;

SSLIOStream::SSLIOStream(asio::ip::tcp::socket socket, asio::ssl::context& context,
                         IOStreamOptions options)
    : IOStream(std::make_unique<detail::TLSTransport>(TLSSocket(std::move(socket), context)),
               options) {}

awaitable<void> SSLIOStream::handshake(TLSOptions options) {
    auto& tls = static_cast<detail::TLSTransport&>(transport()).stream();
    if (!options.server_side && !options.server_hostname.empty())
        netutil::set_client_hostname(tls.native_handle(), options.server_hostname);
    const auto type =
        options.server_side ? asio::ssl::stream_base::server : asio::ssl::stream_base::client;
    if (auto [ec] = co_await tls.async_handshake(type, asio::as_tuple(asio::use_awaitable)); ec) {
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
