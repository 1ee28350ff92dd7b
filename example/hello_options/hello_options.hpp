// The seeds' "Hello, friendly user!": a greeting from the query, a port from the command line.
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>

namespace hello_options {
namespace web = typhoon::web;

class MainHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    boost::asio::awaitable<void> get() override {
        write(get_argument("greeting", "Hello") + ", friendly user!");
        co_return;
    }
};

inline web::Application make_app() {
    return web::Application({web::url<MainHandler>("/")});
}
}  // namespace hello_options
