// One process per core, sharing one listening socket: Tornado's bind() + start(0).
//
//     tools/run multiprocess                     http://localhost:8888/ from cpu_count() processes
//     tools/run multiprocess --processes=2 --port=8080
//
// Each answer names the process that served it. Forking happens before any IOLoop exists: every
// child makes its own loop, as Tornado requires.
#include <typhoon/ioloop.hpp>
#include <typhoon/net/process.hpp>
#include <typhoon/options.hpp>
#include <typhoon/web.hpp>

#include <unistd.h>

namespace web = typhoon::web;
namespace options = typhoon::options;

class MainHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    boost::asio::awaitable<void> get() override {
        write("Hello from process " + std::to_string(typhoon::process::task_id().value_or(0)) +
              " (pid " + std::to_string(::getpid()) + ")");
        co_return;
    }
};

int main(int argc, char** argv) {
    const auto port = options::define("port", 8888, {.help = "run on the given port"});
    const auto processes =
        options::define("processes", 0, {.help = "how many processes to fork (0: one per core)"});
    options::parse_command_line_or_exit(argc, argv);

    web::Application application({web::url<MainHandler>("/")});
    typhoon::httpserver::HTTPServer server(application);
    server.bind(static_cast<std::uint16_t>(*port));
    server.start(*processes);  // forks; each child returns here and serves
    typhoon::ioloop::IOLoop::current().start();
}
