// The seeds' first program: Tornado's "Hello, world", whole.
// guide:begin program
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>

namespace web = typhoon::web;

class MainHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    boost::asio::awaitable<void> get() override {
        write("Hello, world");
        co_return;
    }
};

int main() {
    web::Application application({web::url<MainHandler>("/")});
    application.listen(8888);
    typhoon::ioloop::IOLoop::current().start();
}
// guide:end program
