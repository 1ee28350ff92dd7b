// The sockets the network targets talk through: one client exchange with a server under test, and
// one listener standing in for a peer the code under test connects to. Both on 127.0.0.1, on the
// loop of the coroutine that uses them.
#ifndef TYPHOON_FUZZ_SUPPORT_LOOPBACK_HPP
#define TYPHOON_FUZZ_SUPPORT_LOOPBACK_HPP

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace fuzz_support {

using boost::asio::awaitable;
using boost::asio::ip::tcp;

/** Connects to 127.0.0.1:`port`, sends `bytes` (then half-closes, with `half_close`, so that the
    server sees the input end), and reads into `received` until the server closes. Whether that
    close was clean (end of stream, not a reset). */
inline awaitable<bool> exchange(std::uint16_t port, std::string_view bytes, std::string& received,
                                bool half_close = true) {
    tcp::socket socket(co_await boost::asio::this_coro::executor);
    co_await socket.async_connect({boost::asio::ip::make_address("127.0.0.1"), port},
                                  boost::asio::use_awaitable);
    boost::system::error_code ec;
    co_await boost::asio::async_write(socket, boost::asio::buffer(bytes.data(), bytes.size()),
                                      boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (!ec && half_close) socket.shutdown(tcp::socket::shutdown_send, ec);
    char chunk[4096];
    for (;;) {
        const std::size_t n = co_await socket.async_read_some(
            boost::asio::buffer(chunk),
            boost::asio::redirect_error(boost::asio::use_awaitable, ec));
        received.append(chunk, n);
        if (ec) co_return ec == boost::asio::error::eof;
    }
}

/// A listener on a free port of 127.0.0.1 that hands each connection to `answer`, on a coroutine
/// of its own, for as long as the loop of `executor` runs.
class Listener {
public:
    using Answer = std::function<awaitable<void>(tcp::socket)>;
    Listener(const boost::asio::any_io_executor& executor, Answer answer)
        : acceptor_(std::make_unique<tcp::acceptor>(
              executor, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0))),
          port_(acceptor_->local_endpoint().port()) {
        boost::asio::co_spawn(executor, accept(*acceptor_, std::move(answer)),
                              boost::asio::detached);
    }
    std::uint16_t port() const noexcept { return port_; }

private:
    static awaitable<void> accept(tcp::acceptor& acceptor, Answer answer) {
        for (;;) {
            boost::system::error_code ec;
            tcp::socket socket = co_await acceptor.async_accept(
                boost::asio::redirect_error(boost::asio::use_awaitable, ec));
            if (ec) co_return;
            boost::asio::co_spawn(socket.get_executor(), answer(std::move(socket)),
                                  boost::asio::detached);
        }
    }

    std::unique_ptr<tcp::acceptor> acceptor_;
    std::uint16_t port_;
};

}  // namespace fuzz_support

#endif
