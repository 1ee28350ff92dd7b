// Typhoon's side of the WebSocket interop test with Python's `websockets` library:
//   websocket_peer server PORT   serves /echo (compression accepted), /close (closes with the code
//                                and reason of the first message, "CODE REASON")
//   websocket_peer client URL    runs the client cases against the Python server at URL and
//                                prints one "ok NAME" or "FAIL NAME: why" line per case
#include <typhoon/core/log.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>
#include <typhoon/websocket.hpp>

#include <cstdlib>
#include <iostream>

namespace web = typhoon::web;
namespace websocket = typhoon::websocket;
using boost::asio::awaitable;

namespace {

class Echo final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    std::optional<websocket::CompressionOptions> get_compression_options() override {
        return websocket::CompressionOptions{};
    }
    awaitable<void> on_message(websocket::Message message) override {
        co_await write_message(message.data, {.binary = message.binary});
    }
};

class Closer final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    awaitable<void> on_message(websocket::Message message) override {
        const auto space = message.data.find(' ');
        close(std::stoi(message.data.substr(0, space)),
              space == std::string::npos ? "" : message.data.substr(space + 1));
        co_return;
    }
};

int failures = 0;

void check(bool ok, const std::string& name, const std::string& why = {}) {
    if (ok) {
        std::cout << "ok " << name << "\n";
    } else {
        std::cout << "FAIL " << name << ": " << why << "\n";
        ++failures;
    }
}

awaitable<void> client_cases(std::string url) {
    auto ws = co_await websocket::websocket_connect(
        url, {.compression_options = websocket::CompressionOptions{}});
    check(ws->headers()
              .get("Sec-WebSocket-Extensions")
              .value_or("")
              .starts_with("permessage-deflate"),
          "compression negotiated");
    co_await ws->write_message("hello");
    auto reply = co_await ws->read_message();
    check(reply && reply->data == "hello" && !reply->binary, "text echo");
    const std::string bytes("\x00\x01\xfe\xff", 4);
    co_await ws->write_message(bytes, {.binary = true});
    reply = co_await ws->read_message();
    check(reply && reply->data == bytes && reply->binary, "binary echo");
    const std::string big(200000, 'z');
    co_await ws->write_message(big);
    reply = co_await ws->read_message();
    check(reply && reply->data == big, "large compressed echo");
    co_await ws->write_message("fragmented");
    reply = co_await ws->read_message();
    check(reply && reply->data == "one two three", "fragmented message from the server",
          reply ? reply->data : "closed");
    co_await ws->ping("are you there");
    co_await ws->write_message("close 4003 bye");
    reply = co_await ws->read_message();
    check(!reply && ws->close_code() == 4003 && ws->close_reason() == "bye",
          "server close code and reason", "code " + std::to_string(ws->close_code().value_or(0)));

    auto second = co_await websocket::websocket_connect(url);
    second->close(4004, "client done");
    check(!(co_await second->read_message()) && second->close_code() == 4004,
          "client close answered with its code",
          "code " + std::to_string(second->close_code().value_or(0)));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: websocket_peer server PORT | client URL\n";
        return 2;
    }
    const std::string mode = argv[1];
    auto& loop = typhoon::ioloop::IOLoop::current();
    if (mode == "server") {
        typhoon::log::access_log.set_level(typhoon::log::Level::warning);
        web::Application app({web::url<Echo>("/echo"), web::url<Closer>("/close")});
        app.listen(static_cast<std::uint16_t>(std::atoi(argv[2])), "127.0.0.1");
        std::cout << "listening" << std::endl;
        loop.start();
        return 0;
    }
    try {
        loop.run_sync([&]() { return client_cases(argv[2]); }, std::chrono::seconds(30));
    } catch (const std::exception& e) {
        std::cout << "FAIL client: " << e.what() << "\n";
        return 1;
    }
    return failures == 0 ? 0 : 1;
}
