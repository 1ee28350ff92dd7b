// The seeds' "Hello, world": one handler, one route.
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>

namespace hello {
namespace web = typhoon::web;

class MainHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    boost::asio::awaitable<void> get() override {
        write("Hello, world");
        co_return;
    }
};

inline web::Application make_app() {
    return web::Application({web::url<MainHandler>("/")});
}
}  // namespace hello
