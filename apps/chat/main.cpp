// tools/run chat (or just tools/run) → http://localhost:8888/: Tornado's long-polling and
// WebSocket chat demos in one server. Open two browser windows and talk to yourself.
// With --redis=redis://host:port/db, every process started with the same URL is one chat.
#include "chat_app.hpp"
#include "redis_fanout.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/options.hpp>
#include <typhoon/redis/errors.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace options = typhoon::options;

int main(int argc, char** argv) {
    const auto port = options::define("port", 8888, {.help = "run on the given port (0: any)"});
    const auto address =
        options::define("address", "", {.help = "listen on this address only (e.g. 127.0.0.1)"});
    const auto debug =
        options::define("debug", false, {.help = "re-read templates on each request"});
    const auto redis = options::define(
        "redis", "",
        {.help = "share the chat with every process on this Redis (redis://host:port/db or "
                 "unix:///path/redis.sock); without it the chat lives in this process only"});
    options::parse_command_line_or_exit(argc, argv);  // a bad option names itself and exits 2

    chat::Chat chat;
    std::unique_ptr<chat::RedisFanout> fanout;
    if (!redis->empty()) {
        try {
            fanout = std::make_unique<chat::RedisFanout>(*redis, chat);
            typhoon::ioloop::IOLoop::current().run_sync(
                [&]() -> boost::asio::awaitable<void> { co_await fanout->start(); });
        } catch (const typhoon::redis::Error& e) {
            // At start a chat that cannot share its messages would quietly be a chat apart.
            typhoon::log::gen_log.error(std::string("chat: --redis: ") + e.what());
            return 1;
        }
    }
    auto application = chat::make_app(CHAT_APP_ROOT, chat, *debug);
    auto& server = application.listen(static_cast<std::uint16_t>(*port), *address);
    // The port actually bound: with --port=0 this line is how a test learns it.
    typhoon::log::gen_log.info("chat: serving http://" +
                               (address->empty() ? std::string("localhost") : *address) + ":" +
                               std::to_string(server.ports().at(0)) + "/");
    typhoon::ioloop::IOLoop::current().start();
}
