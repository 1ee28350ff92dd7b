// WebSocket frames as a client reads them: a loopback server accepts the client's handshake
// (agreeing to permessage-deflate when the input's first byte is odd), sends the rest of the
// input as its frames (unmasked, fragmented, control frames, compressed or not) and half-closes.
// Whatever the frames, websocket_connect()'s connection must hand on only whole messages within
// max_message_size (text ones valid UTF-8) and then report the close, within a few seconds.

#include "check.hpp"
#include "loopback.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/core/utf8.hpp>
#include <typhoon/http/http_client_error.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/websocket/websocket_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

using namespace typhoon;
using boost::asio::awaitable;
using boost::asio::ip::tcp;

namespace {

using fuzz_support::check;

constexpr std::size_t message_limit = 4096;

struct Harness {
    ioloop::IOLoop loop;
    std::unique_ptr<fuzz_support::Listener> listener;
    std::uint16_t port = 0;
    bool deflate = false;
    std::string frames;
};
Harness* harness = nullptr;

/// The Sec-WebSocket-Accept answering `request`'s key (RFC 6455 §4.2.2).
std::string accept_key(std::string_view request) {
    constexpr std::string_view field = "Sec-WebSocket-Key: ";
    const auto at = request.find(field);
    if (at == std::string_view::npos) return {};
    const auto start = at + field.size();
    const std::string_view key = request.substr(start, request.find("\r\n", start) - start);
    boost::beast::websocket::detail::sec_ws_accept_type accept;
    boost::beast::websocket::detail::make_sec_ws_accept(accept, key);
    return std::string(accept.data(), accept.size());
}

awaitable<void> answer(tcp::socket socket) {
    boost::system::error_code ec;
    std::string request;
    co_await boost::asio::async_read_until(
        socket, boost::asio::dynamic_buffer(request, 65536), "\r\n\r\n",
        boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    std::string bytes =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
        accept_key(request) + "\r\n";
    if (harness->deflate) bytes += "Sec-WebSocket-Extensions: permessage-deflate\r\n";
    bytes += "\r\n" + harness->frames;
    co_await boost::asio::async_write(socket, boost::asio::buffer(bytes),
                                      boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    socket.shutdown(tcp::socket::shutdown_send, ec);
    char chunk[4096];  // what the client sends back (pongs, its close), until it hangs up
    while (!ec)
        co_await socket.async_read_some(
            boost::asio::buffer(chunk),
            boost::asio::redirect_error(boost::asio::use_awaitable, ec));
}

awaitable<void> read_all() {
    websocket::WebSocketConnectOptions options;
    options.max_message_size = message_limit;
    if (harness->deflate) options.compression_options = websocket::CompressionOptions{};
    std::unique_ptr<websocket::WebSocketClientConnection> connection;
    try {
        connection = co_await websocket::websocket_connect(
            "ws://127.0.0.1:" + std::to_string(harness->port) + "/", options);
    } catch (const httpclient::HTTPClientError&) {
        co_return;  // what a refused handshake raises; this server always agrees
    }
    while (const auto message = co_await connection->read_message()) {
        check(message->data.size() <= message_limit, "a message over max_message_size");
        check(message->binary || escape::is_valid_utf8(message->data),
              "a text message that is not UTF-8");
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    harness = new Harness;
    log::clear_handlers();
    harness->listener =
        std::make_unique<fuzz_support::Listener>(harness->loop.get_executor(), answer);
    harness->port = harness->listener->port();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    harness->deflate = data[0] % 2 == 1;
    harness->frames.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        harness->loop.run_sync(read_all, std::chrono::seconds(10));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "websocket_client fuzz: %s\n", e.what());
        check(false, "the connection did not end within 10 s of the input");
    }
    return 0;
}
