#ifndef TYPHOON_NET_SSL_IOSTREAM_HPP
#define TYPHOON_NET_SSL_IOSTREAM_HPP

#include <typhoon/net/iostream.hpp>

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace typhoon::iostream {

/// Which side of the TLS handshake SSLIOStream::handshake() and start_tls() play.
struct TLSOptions {
    /// Which end of the handshake this side plays.
    bool server_side = false;
    /// Client side: the name sent for SNI and checked against the certificate when the context
    /// verifies peers. Empty sends no SNI.
    std::string server_hostname{};
};

/** An IOStream over TLS (tornado.iostream.SSLIOStream): the same reads and writes, encrypted.
    Made by start_tls() on a connected plain stream, by TCPClient::connect with a TLS context, or
    by a TCPServer with `ssl_context`. */
class SSLIOStream final : public IOStream {
public:
    /// Wraps a connected socket; `context` (certificates, verification) must outlive the stream.
    /// Nothing is sent until handshake().
    SSLIOStream(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& context,
                IOStreamOptions options = {});
    /** Runs the TLS handshake. Must complete before any read or write.
        @throws StreamClosedError (with the OpenSSL reason in real_error()) if it fails; the
        stream is then closed. */
    awaitable<void> handshake(TLSOptions options);
};

/** Turns a connected plain TCP stream into a TLS one and runs the handshake
    (tornado.iostream.IOStream.start_tls). The plain stream must have no read or write pending and
    nothing buffered; it is consumed either way.
    @throws typhoon::Error if `stream` is not an idle TCP stream, StreamClosedError if the handshake
    fails. `context` must outlive the returned stream. */
awaitable<std::unique_ptr<SSLIOStream>> start_tls(std::unique_ptr<IOStream> stream,
                                                  boost::asio::ssl::context& context,
                                                  TLSOptions options = {});

}  // namespace typhoon::iostream

#endif
