#include <typhoon/net/tcp_client.hpp>

#include <typhoon/ioloop/gen.hpp>
#include <typhoon/net/iostream.hpp>
#include <typhoon/net/ssl_options.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>

namespace typhoon::tcpclient {

namespace asio = boost::asio;
using iostream::IOStream;

namespace {

awaitable<asio::ip::tcp::socket> open_connection(
    const std::vector<asio::ip::tcp::endpoint>& endpoints, const ConnectOptions& options) {
    const auto executor = co_await asio::this_coro::executor;
    boost::system::error_code last_error = asio::error::host_not_found;
    for (const auto& endpoint : endpoints) {
        asio::ip::tcp::socket socket(executor);
        boost::system::error_code ec;
        socket.open(endpoint.protocol(), ec);
        if (!ec && (!options.source_ip.empty() || options.source_port != 0)) {
            const auto source = options.source_ip.empty()
                                    ? (endpoint.protocol() == asio::ip::tcp::v6()
                                           ? asio::ip::address(asio::ip::address_v6::any())
                                           : asio::ip::address(asio::ip::address_v4::any()))
                                    : asio::ip::make_address(options.source_ip, ec);
            if (!ec) socket.bind(asio::ip::tcp::endpoint(source, options.source_port), ec);
        }
        if (!ec)
            std::tie(ec) =
                co_await socket.async_connect(endpoint, asio::as_tuple(asio::use_awaitable));
        if (!ec) co_return socket;
        last_error = ec;
    }
    throw iostream::StreamClosedError(last_error);
}

}  // namespace

TCPClient::TCPClient(std::shared_ptr<netutil::Resolver> resolver)
    : resolver_(resolver ? std::move(resolver) : std::make_shared<netutil::Resolver>()) {}

awaitable<iostream::Stream> TCPClient::connect_socket(std::string host, std::uint16_t port,
                                                      ConnectOptions options) {
    auto attempt = [](std::shared_ptr<netutil::Resolver> resolver, std::string target,
                      std::uint16_t target_port,
                      ConnectOptions opts) -> awaitable<iostream::Stream> {
        auto endpoints = co_await resolver->resolve(target, target_port, opts.family);
        // The first address's family first, then the others, as Tornado's connector orders them.
        if (!endpoints.empty()) {
            const auto primary = endpoints.front().protocol();
            std::stable_partition(endpoints.begin(), endpoints.end(), [&](const auto& endpoint) {
                return endpoint.protocol() == primary;
            });
        }
        auto socket = co_await open_connection(endpoints, opts);
        if (!opts.ssl_context) co_return iostream::Stream(std::move(socket));
        auto tls = std::make_unique<iostream::TLSSocket>(std::move(socket), *opts.ssl_context);
        netutil::set_client_hostname(tls->native_handle(), target);
        auto [ec] = co_await tls->async_handshake(asio::ssl::stream_base::client,
                                                  asio::as_tuple(asio::use_awaitable));
        if (ec) throw iostream::StreamClosedError(ec);
        co_return iostream::Stream(std::move(tls));
    };
    if (!options.timeout)
        co_return co_await attempt(resolver_, std::move(host), port, std::move(options));
    const gen::Deadline deadline = *options.timeout;
    co_return co_await gen::with_timeout(
        deadline, attempt(resolver_, std::move(host), port, std::move(options)));
}

awaitable<std::unique_ptr<IOStream>> TCPClient::connect(std::string host, std::uint16_t port,
                                                        ConnectOptions options) {
    const auto stream_options = options.stream;
    co_return std::make_unique<IOStream>(
        co_await connect_socket(std::move(host), port, std::move(options)), stream_options);
}

}  // namespace typhoon::tcpclient
