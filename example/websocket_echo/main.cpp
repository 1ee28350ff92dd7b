// websocket_echo [PORT]: echoes WebSocket messages on ws://127.0.0.1:PORT/websocket (8888).
#include "echo.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/ioloop.hpp>

#include <cstdlib>

int main(int argc, char** argv) {
    typhoon::log::access_log.set_level(typhoon::log::Level::warning);
    auto app = websocket_echo::make_app();
    app.listen(static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 8888), "127.0.0.1");
    typhoon::ioloop::IOLoop::current().start();
}
