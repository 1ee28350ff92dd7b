// tools/run chat (or just tools/run) → http://localhost:8888/: Tornado's long-polling and
// WebSocket chat demos in one server. Open two browser windows and talk to yourself.
#include "chat_app.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/options.hpp>

#include <cstdint>
#include <string>

namespace options = typhoon::options;

int main(int argc, char** argv) {
    const auto port = options::define("port", 8888, {.help = "run on the given port (0: any)"});
    const auto address =
        options::define("address", "", {.help = "listen on this address only (e.g. 127.0.0.1)"});
    const auto debug =
        options::define("debug", false, {.help = "re-read templates on each request"});
    options::parse_command_line_or_exit(argc, argv);  // a bad option names itself and exits 2

    chat::Rooms rooms;
    auto application = chat::make_app(CHAT_APP_ROOT, rooms, *debug);
    auto& server = application.listen(static_cast<std::uint16_t>(*port), *address);
    // The port actually bound: with --port=0 this line is how a test learns it.
    typhoon::log::gen_log.info("chat: serving http://" +
                               (address->empty() ? std::string("localhost") : *address) + ":" +
                               std::to_string(server.ports().at(0)) + "/");
    typhoon::ioloop::IOLoop::current().start();
}
