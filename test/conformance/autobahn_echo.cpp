// autobahn_echo PORT: the server Autobahn|Testsuite's fuzzing client drives. Every message comes
// back as it came, with permessage-deflate accepted and messages up to 64 MiB (the suite's
// largest is 16 MiB), so that each case judges the protocol and not a limit of this program.
#include <typhoon/core/log.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>
#include <typhoon/websocket.hpp>

#include <cstdlib>
#include <iostream>

namespace {

using namespace typhoon;

class EchoHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    boost::asio::awaitable<void> open(const std::vector<std::string>&) override {
        set_nodelay(true);
        co_return;
    }
    boost::asio::awaitable<void> on_message(websocket::Message message) override {
        co_await write_message(std::move(message.data), {.binary = message.binary});
    }
    std::optional<websocket::CompressionOptions> get_compression_options() override {
        return websocket::CompressionOptions{};
    }
    std::size_t max_message_size() const override { return 64 * 1024 * 1024; }
    std::size_t max_outbound_bytes() const override { return 256 * 1024 * 1024; }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: autobahn_echo PORT\n";
        return 2;
    }
    log::access_log.set_level(log::Level::warning);
    web::Application app({web::url<EchoHandler>("/")});
    app.listen(static_cast<std::uint16_t>(std::atoi(argv[1])), "127.0.0.1");
    ioloop::IOLoop::current().start();
}
