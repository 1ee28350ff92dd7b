// The application test/deploy puts behind nginx: it says which process answered and what it
// learnt of the client through nginx's headers, echoes on a WebSocket, and stops gracefully on
// SIGTERM.
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/options.hpp>
#include <typhoon/web.hpp>
#include <typhoon/websocket.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>

#include <chrono>
#include <csignal>
#include <cstdint>

#include <unistd.h>

using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace web = typhoon::web;
namespace options = typhoon::options;

namespace {

class WhoAmIHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(std::int64_t port) { port_ = port; }
    awaitable<void> get() override {
        write(boost::json::object{{"port", port_},
                                  {"pid", static_cast<std::int64_t>(::getpid())},
                                  {"remote_ip", request().remote_ip},
                                  {"protocol", request().protocol}});
        co_return;
    }

private:
    std::int64_t port_ = 0;
};

/// Sends every message back: enough to see an upgrade pass through nginx both ways.
class EchoSocket final : public typhoon::websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    awaitable<void> on_message(typhoon::websocket::Message message) override {
        co_await write_message(message.data, {.binary = message.binary});
    }
};

}  // namespace

int main(int argc, char** argv) {
    const auto port = options::define("port", 8000, {.help = "run on the given port"});
    options::parse_command_line_or_exit(argc, argv);

    web::Application application({
        web::url<WhoAmIHandler>("/whoami", {}, std::int64_t{*port}),
        web::url<EchoSocket>("/echo"),
    });
    typhoon::httpserver::HTTPServer server(application, {.xheaders = true});
    server.listen(static_cast<std::uint16_t>(*port), "127.0.0.1");

    auto& loop = typhoon::ioloop::IOLoop::current();
    boost::asio::signal_set signals(loop.context(), SIGTERM);
    signals.async_wait([&](const boost::system::error_code& error, int) {
        if (error) return;
        boost::asio::co_spawn(
            loop.context(),
            [&]() -> awaitable<void> {
                co_await server.shutdown(5s);
                loop.stop();
            },
            boost::asio::detached);
    });
    loop.start();
}
