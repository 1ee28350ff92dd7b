// The ceiling for a WebSocket server on Beast: accept the upgrade, then read a message and write
// it back, with nothing else. bench/websocket/run compares Typhoon's WebSocketHandler with it.
//   raw_beast_echo PORT
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <cstdlib>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

asio::awaitable<void> session(asio::ip::tcp::socket socket) {
    socket.set_option(asio::ip::tcp::no_delay(true));  // as the Typhoon echo does
    websocket::stream<asio::ip::tcp::socket> ws(std::move(socket));
    beast::error_code ec;
    co_await ws.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    beast::flat_buffer buffer;
    for (;;) {
        co_await ws.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        ws.text(ws.got_text());
        co_await ws.async_write(buffer.data(), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        buffer.consume(buffer.size());
    }
}

asio::awaitable<void> listen(asio::ip::tcp::acceptor acceptor) {
    for (;;) {
        auto socket = co_await acceptor.async_accept(asio::use_awaitable);
        asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), asio::detached);
    }
}

}  // namespace

int main(int argc, char** argv) {
    asio::io_context context(1);
    const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 8890);
    asio::ip::tcp::acceptor acceptor(context, {asio::ip::make_address("127.0.0.1"), port});
    acceptor.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(context, listen(std::move(acceptor)), asio::detached);
    context.run();
}
