// Tornado's "Hello, friendly user!" with tornado.options:
//
//     tools/run hello_options --port=8080      then  http://localhost:8080/?greeting=Hi
//     tools/run hello_options --help
#include "hello_options.hpp"

#include <typhoon/options.hpp>

namespace options = typhoon::options;

int main(int argc, char** argv) {
    const auto port = options::define("port", 8888, {.help = "run on the given port"});
    options::parse_command_line_or_exit(argc, argv);  // a bad option names itself and exits 2

    auto application = hello_options::make_app();
    typhoon::httpserver::HTTPServer http_server(application);
    http_server.listen(static_cast<std::uint16_t>(*port));
    typhoon::ioloop::IOLoop::current().start();
}
