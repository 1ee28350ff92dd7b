#ifndef TYPHOON_NET_STREAM_HPP
#define TYPHOON_NET_STREAM_HPP

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <memory>
#include <string>
#include <variant>

namespace boost::beast {
template <class NextLayer>
class ssl_stream;
}

namespace typhoon::iostream {

/// A TCP socket, as a Stream holds one.
using TCPSocket = boost::asio::ip::tcp::socket;
/// A Unix-domain stream socket, as a Stream holds one.
using UnixSocket = boost::asio::local::stream_protocol::socket;
/// TLS over a TCP socket. Beast's TLS stream rather than Asio's: it writes a gathered buffer as
/// one TLS record, where Asio's writes one record per buffer.
using TLSSocket = boost::beast::ssl_stream<TCPSocket>;

/** A connection as one layer hands it to the next: its socket (TCP, a Unix socket, or TLS over
    TCP with the handshake done) and the bytes already read from it that the next owner must read
    first. It is what a TCPServer accepts (handle_connection()), what TCPClient::connect_socket()
    returns, and what HTTPConnection::detach() gives a handler that takes a connection over from
    the HTTP server (Tornado's detach() returns the IOStream):

        iostream::Stream stream = co_await TCPClient().connect_socket("example.com", 443,
                                                                      {.ssl_context = context});
        IOStream io(std::move(stream));  // a buffered stream over it, or hand it to Beast:
        auto* tls = stream.tls();        //   PrefixedStream<TLSSocket>(std::move(*tls), ...)

    Move-only; destroying it closes the socket. Empty (no socket) when default-made or moved
    from. */
class Stream {
public:
    Stream() noexcept;
    ///@{
    /// Takes over a connected socket; `buffered` holds bytes already read from it.
    explicit Stream(TCPSocket socket, std::string buffered = {});
    explicit Stream(UnixSocket socket, std::string buffered = {});
    explicit Stream(std::unique_ptr<TLSSocket> socket, std::string buffered = {});
    ///@}
    ///@{
    /// Moves the socket and the buffered bytes; `other` is left empty. Assignment closes the
    /// socket held before.
    Stream(Stream&& other) noexcept;
    Stream& operator=(Stream&& other) noexcept;
    ///@}
    /// Closes the socket.
    ~Stream();

    ///@{
    /// The socket, when it is of that kind; null otherwise.
    TCPSocket* tcp() noexcept;
    UnixSocket* unix_socket() noexcept;
    TLSSocket* tls() noexcept;
    ///@}
    /// Whether it holds a socket.
    explicit operator bool() const noexcept;
    /// The TCP socket under a plain or TLS stream (null for a Unix socket or an empty stream),
    /// for socket options and addresses.
    TCPSocket* tcp_layer() noexcept;

    ///@{
    /// Takes the socket out (the stream is left empty); throws typhoon::Error if it is not of
    /// that kind.
    TCPSocket take_tcp();
    UnixSocket take_unix();
    std::unique_ptr<TLSSocket> take_tls();
    ///@}

    /// "address:port" of the peer; "" for a Unix socket or when the socket is not connected.
    std::string peer_address() const;
    /// Closes the socket now (without a TLS close_notify). Idempotent.
    void close() noexcept;

    /// Bytes read from the connection and not yet consumed: whoever reads next reads these first.
    std::string buffered;

private:
    std::variant<std::monostate, TCPSocket, UnixSocket, std::unique_ptr<TLSSocket>> socket_;
};

/// "address:port" of a TCP peer (IPv6 addresses in brackets), "" when `socket` is not connected.
std::string peer_address(const TCPSocket& socket);

}  // namespace typhoon::iostream

#endif
