#ifndef TYPHOON_HTTP_SRC_CLIENT_CONNECTION_HPP
#define TYPHOON_HTTP_SRC_CLIENT_CONNECTION_HPP

// One connection of AsyncHTTPClient, as the pool keeps it and an exchange uses it.

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>

namespace typhoon::httpclient::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;
/// TLS over Beast's tcp_stream rather than net's TLSSocket: the tcp_stream gives each operation
/// the request's deadline, and over a proxy TLS starts only after the CONNECT.
using TLSStream = beast::ssl_stream<beast::tcp_stream>;

/// Raised inside a fetch when a reused keep-alive connection turns out to be closed before
/// anything was read: the request is retried once on a new connection.
struct StaleConnection {
    std::string message;
};

/// One open connection, plain or TLS, with what was read past the last response.
struct Connection {
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<TLSStream> tls;
    std::shared_ptr<asio::ssl::context> context;  // the TLS settings outlive the stream
    beast::flat_buffer buffer;
    Clock::time_point idle_since{};
    bool reused = false;

    beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
    ~Connection() {
        if (!plain && !tls) return;
        beast::error_code ignored;
        tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        tcp().close();
    }

    /// Whether an idle connection may carry another request: the server has not closed it and
    /// sent nothing unasked (a peek, which reads nothing).
    bool still_open() {
        if (buffer.size() != 0) return false;
        char byte;
        const auto n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
};

inline Clock::time_point deadline_after(Clock::time_point start, Clock::duration timeout) {
    return timeout > Clock::duration::zero() ? start + timeout : Clock::time_point::max();
}

inline void set_expiry(beast::tcp_stream& tcp, Clock::time_point deadline) {
    if (deadline == Clock::time_point::max())
        tcp.expires_never();
    else
        tcp.expires_at(deadline);
}

}  // namespace typhoon::httpclient::detail

#endif
