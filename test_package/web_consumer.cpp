#include <typhoon/ioloop.hpp>
#include <typhoon/net/tcp_client.hpp>
#include <typhoon/web.hpp>

#include <iostream>

namespace web = typhoon::web;

class Hello final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    boost::asio::awaitable<void> get() override {
        write("Hello from " + path_args().at(0));
        co_return;
    }
};

int main() {
    // Only typhoon::web was asked for: the layers below it come along by themselves.
    web::Application app({web::url<Hello>("/hello/(\\w+)", {.name = "hello"})});
    const auto port = app.listen(0, "127.0.0.1").ports().at(0);
    const std::string response = typhoon::ioloop::IOLoop::current().run_sync(
        [port]() -> boost::asio::awaitable<std::string> {
            auto stream = co_await typhoon::tcpclient::TCPClient().connect("127.0.0.1", port);
            co_await stream->write(
                "GET /hello/conan HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            co_return co_await stream->read_until_close();
        });
    std::cout << "web_consumer: " << app.reverse_url("hello", {"conan"}) << " -> "
              << response.substr(response.find("\r\n\r\n") + 4) << '\n';
    return response.ends_with("Hello from conan") ? 0 : 1;
}
