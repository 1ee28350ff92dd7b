#ifndef TYPHOON_NET_SRC_TRANSPORT_HPP
#define TYPHOON_NET_SRC_TRANSPORT_HPP

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <string>
#include <utility>

namespace typhoon::iostream::detail {

using boost::asio::awaitable;

/** The socket under an IOStream: plain TCP, a Unix socket or TLS. Failures are returned as error
    codes, not thrown: a closed connection is an ordinary event on this path. */
class Transport {
public:
    virtual ~Transport() = default;
    /// Reads at least one byte, or fails (boost::asio::error::eof when the peer closed).
    virtual awaitable<std::pair<boost::system::error_code, std::size_t>> read_some(
        boost::asio::mutable_buffer buffer) = 0;
    /// Writes all of `buffer`, or fails.
    virtual awaitable<boost::system::error_code> write_all(boost::asio::const_buffer buffer) = 0;
    virtual void close() noexcept = 0;
    virtual boost::asio::any_io_executor get_executor() = 0;
    virtual void set_nodelay(bool) {}
    virtual std::string peer_address() const { return {}; }
};

}  // namespace typhoon::iostream::detail

#endif
