// The web-layer benchmark server: Application, routing, a handler object and its headers.
//   web_hello_server PORT      GET / → "Hello, world"; GET /json → {"message": "Hello, World!"}
#include <typhoon/core/log.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>

#include <cstdlib>

namespace web = typhoon::web;
using boost::asio::awaitable;

namespace {

class HelloHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write("Hello, world");
        co_return;
    }
};

class JsonHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(boost::json::object{{"message", "Hello, World!"}});
        co_return;
    }
};

}  // namespace

int main(int argc, char** argv) {
    typhoon::log::access_log.set_level(typhoon::log::Level::warning);  // as Tornado's default
    web::Application app({web::url<HelloHandler>("/"), web::url<JsonHandler>("/json")});
    app.listen(static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 8888), "127.0.0.1");
    typhoon::ioloop::IOLoop::current().start();
}
