// WebSocket frames as a server reads them: each input is one client connection that shakes
// hands (offering permessage-deflate when the input's first byte is odd) and then sends the
// rest of the input as its frames (masked, fragmented, control frames, compressed or not),
// then half-closes. An echo handler answers every message. Whatever the frames, the server
// must hand on only whole messages within max_message_size (text ones valid UTF-8), close the
// connection, destroy the handler, and log no error.

#include "check.hpp"
#include "loopback.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/core/utf8.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/web.hpp>
#include <typhoon/websocket/websocket_handler.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

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
int handlers_alive = 0, errors_logged = 0;

class EchoHandler final : public websocket::WebSocketHandler {
public:
    EchoHandler(web::Application& application, httputil::HTTPServerRequest& request,
                httputil::HTTPConnection& connection)
        : WebSocketHandler(application, request, connection) {
        ++handlers_alive;
    }
    ~EchoHandler() override { --handlers_alive; }
    awaitable<void> on_message(websocket::Message message) override {
        check(message.data.size() <= message_limit, "a message over max_message_size");
        check(message.binary || escape::is_valid_utf8(message.data),
              "a text message that is not UTF-8");
        co_await write_message(std::move(message.data), {.binary = message.binary});
    }
    std::optional<websocket::CompressionOptions> get_compression_options() override {
        return websocket::CompressionOptions{};
    }
    std::size_t max_message_size() const override { return message_limit; }
};

struct ErrorCounter final : log::Handler {
    bool handle(const log::Record& record) override {
        if (record.level >= log::Level::error) {
            ++errors_logged;
            std::fprintf(stderr, "websocket_server fuzz: logged %s %s\n", record.message.c_str(),
                         record.exception.c_str());
        }
        return true;
    }
};

struct Harness {
    ioloop::IOLoop loop;
    web::Application application{{web::url<EchoHandler>("/echo")}};
    std::unique_ptr<httpserver::HTTPServer> server;
    std::uint16_t port = 0;
};
Harness* harness = nullptr;

awaitable<void> exchange(std::string_view frames, bool deflate) {
    std::string bytes =
        "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    if (deflate)
        bytes += "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    bytes += "\r\n";
    bytes += frames;
    std::string received;  // the echoes: what counts is that the server copes and closes
    co_await fuzz_support::exchange(harness->port, bytes, received);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    harness = new Harness;
    log::clear_handlers();
    log::add_handler(std::make_shared<ErrorCounter>());
    harness->server = std::make_unique<httpserver::HTTPServer>(harness->application);
    harness->server->listen(0, "127.0.0.1");
    harness->port = harness->server->ports().at(0);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view frames(reinterpret_cast<const char*>(data) + 1, size - 1);
    errors_logged = 0;
    try {
        harness->loop.run_sync([&] { return exchange(frames, data[0] % 2 == 1); },
                               std::chrono::seconds(10));
        // The handler goes once its connection has closed; a few turns of the loop at most.
        harness->loop.run_sync([]() -> awaitable<void> {
            for (int i = 0; i < 2000 && handlers_alive > 0; ++i)
                co_await gen::sleep(std::chrono::milliseconds(1));
        });
    } catch (const std::exception& e) {
        std::fprintf(stderr, "websocket_server fuzz: %s\n", e.what());
        check(false, "the connection did not end within 10 s of the input");
    }
    check(handlers_alive == 0, "a handler outlived its closed connection");
    check(errors_logged == 0, "an error was logged");
    return 0;
}
