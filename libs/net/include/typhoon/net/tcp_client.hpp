#ifndef TYPHOON_NET_TCP_CLIENT_HPP
#define TYPHOON_NET_TCP_CLIENT_HPP

#include <typhoon/ioloop/timeout.hpp>
#include <typhoon/net/iostream.hpp>
#include <typhoon/net/netutil.hpp>
#include <typhoon/net/stream.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace boost::asio::ssl {
class context;
}

/// Outgoing TCP connections (tornado.tcpclient).
namespace typhoon::tcpclient {

using boost::asio::awaitable;

/// The keyword arguments of tornado.tcpclient.TCPClient.connect.
struct ConnectOptions {
    /// Restrict to IPv4 or IPv6; by default the first address's family is tried first.
    netutil::Family family = netutil::Family::unspec;
    /// Connect with TLS using this context (it must outlive the stream); SNI is the host name.
    std::shared_ptr<boost::asio::ssl::context> ssl_context{};
    /// Options of the returned stream (buffer limits).
    iostream::IOStreamOptions stream{};
    ///@{
    /// Local address and port to connect from; empty and 0 let the kernel choose.
    std::string source_ip{};
    std::uint16_t source_port = 0;
    ///@}
    /// Give up at this deadline or after this long (resolution, connection and TLS handshake).
    std::optional<gen::Deadline> timeout{};
};

/** Opens TCP connections (tornado.tcpclient.TCPClient): resolves the host, tries its addresses
    (those of the first address's family, then the others) until one accepts, and returns the
    connected stream. */
class TCPClient {
public:
    /// Resolves names with `resolver`; null uses the default Resolver (the system's resolver).
    explicit TCPClient(std::shared_ptr<netutil::Resolver> resolver = nullptr);

    /** Connects to `host` (a name or an address literal) on `port`, with TLS when
        `options.ssl_context` is set, and returns the connected stream.
        @throws iostream::StreamClosedError (real_error() says why) when no address accepts,
        gen::TimeoutError when `timeout` passes first, boost::system::system_error when the host
        does not resolve. */
    awaitable<std::unique_ptr<iostream::IOStream>> connect(std::string host, std::uint16_t port,
                                                           ConnectOptions options = {});

    /** As connect(), but returns the connection itself rather than a buffered IOStream over it:
        for a protocol that reads the socket itself (the HTTP and WebSocket clients hand it to
        Beast). With `ssl_context` the TLS handshake is done (SNI, and the certificate checked
        against `host` when the context verifies peers: see netutil::set_client_hostname()).
        `options.stream` is not used. Throws as connect(). */
    awaitable<iostream::Stream> connect_socket(std::string host, std::uint16_t port,
                                               ConnectOptions options = {});

private:
    std::shared_ptr<netutil::Resolver> resolver_;
};

}  // namespace typhoon::tcpclient

#endif
