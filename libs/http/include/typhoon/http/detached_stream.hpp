#ifndef TYPHOON_HTTP_DETACHED_STREAM_HPP
#define TYPHOON_HTTP_DETACHED_STREAM_HPP

#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <optional>
#include <string>

namespace boost::beast {
template <class NextLayer>
class ssl_stream;
}

namespace typhoon::httputil {

/** The transport of a connection taken over by the application (what Tornado's
    HTTP1Connection.detach() returns, the IOStream): the socket of a plain connection or the TLS
    stream of an HTTPS one (handshake done), and the bytes the server had read past the request,
    which belong to whoever reads next. The HTTP server has forgotten the connection: no timeout
    and no shutdown() closes it any more. */
struct DetachedStream {
    /// Beast's TLS stream over the TCP socket, as the server used it.
    using TLSStream = boost::beast::ssl_stream<boost::asio::ip::tcp::socket>;

    DetachedStream();
    ///@{
    /// Moves the connection and the buffered bytes; nothing is closed.
    DetachedStream(DetachedStream&&) noexcept;
    DetachedStream& operator=(DetachedStream&&) noexcept;
    ///@}
    ~DetachedStream();

    /// The connection, when it is plain HTTP.
    std::optional<boost::asio::ip::tcp::socket> socket{};
    /// The connection, when it is HTTPS.
    std::unique_ptr<TLSStream> tls{};
    /// Read from the connection after the request's header block, not yet consumed.
    std::string buffered{};
};

}  // namespace typhoon::httputil

#endif
