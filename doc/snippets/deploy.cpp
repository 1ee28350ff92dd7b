// The running and deploying chapter: processes, loops per thread, graceful stop.
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/net/netutil.hpp>
#include <typhoon/options.hpp>
#include <typhoon/web.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>

#include <chrono>
#include <csignal>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace web = typhoon::web;
namespace options = typhoon::options;
using typhoon::httpserver::HTTPServer;
using typhoon::ioloop::IOLoop;

class MainHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write("Hello, world");
        co_return;
    }
};

web::Application make_app() {
    return web::Application({web::url<MainHandler>("/")});
}

// guide:begin processes
void serve_with_processes(std::uint16_t port) {
    auto application = make_app();
    HTTPServer server(application);
    server.bind(port);
    server.start(0);  // forks one process per core; each child returns here
    IOLoop::current().start();
}
// guide:end processes

// guide:begin threads
void serve_with_threads(std::uint16_t port, unsigned thread_count) {
    auto application = make_app();  // built once, before the loops start; shared by all
    std::vector<std::jthread> threads;
    for (unsigned i = 0; i < thread_count; ++i) {
        threads.emplace_back([&application, port] {
            // One loop per thread, each with its own socket on the same port: the kernel
            // spreads the connections between them (SO_REUSEPORT).
            HTTPServer server(application);
            server.add_sockets(typhoon::netutil::bind_sockets(port, "", {.reuse_port = true}));
            IOLoop::current().start();
        });
    }
}
// guide:end threads

// guide:begin graceful
void serve_until_sigterm(std::uint16_t port) {
    auto application = make_app();
    HTTPServer server(application);
    server.listen(port);
    auto& loop = IOLoop::current();
    boost::asio::signal_set signals(loop.context(), SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code& error, int) {
        if (error) return;
        // Stop accepting, let requests in flight finish for up to 10 s, then stop the loop.
        boost::asio::co_spawn(
            loop.context(),
            [&]() -> awaitable<void> {
                co_await server.shutdown(10s);
                loop.stop();
            },
            boost::asio::detached);
    });
    loop.start();
}
// guide:end graceful

int main(int argc, char** argv) {
    const auto mode = options::define("mode", std::string("graceful"),
                                      {.help = "processes, threads or graceful"});
    options::parse_command_line_or_exit(argc, argv);
    if (*mode == "processes")
        serve_with_processes(8888);
    else if (*mode == "threads")
        serve_with_threads(8888, std::thread::hardware_concurrency());
    else
        serve_until_sigterm(8888);
}
