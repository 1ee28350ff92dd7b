// The seeds' options program: "Hello, friendly user!" with a port from the command line.
// guide:begin program
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/options.hpp>
#include <typhoon/web.hpp>

namespace options = typhoon::options;
namespace web = typhoon::web;

class MainHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    boost::asio::awaitable<void> get() override {
        const std::string greeting = get_argument("greeting", "Hello");
        write(greeting + ", friendly user!");
        co_return;
    }
};

int main(int argc, char** argv) {
    const auto port = options::define("port", 8000, {.help = "run on the given port"});
    options::parse_command_line_or_exit(argc, argv);

    web::Application application({web::url<MainHandler>("/")});
    typhoon::httpserver::HTTPServer http_server(application);
    http_server.listen(static_cast<std::uint16_t>(*port));
    typhoon::ioloop::IOLoop::current().start();
}
// guide:end program
