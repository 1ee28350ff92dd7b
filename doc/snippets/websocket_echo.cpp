// The real-time chapter: a WebSocket endpoint and a client, as in Tornado's websocket docs.
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>
#include <typhoon/websocket.hpp>

#include <iostream>
#include <string>
#include <vector>

using boost::asio::awaitable;
namespace web = typhoon::web;
namespace websocket = typhoon::websocket;

// guide:begin handler
class EchoWebSocket : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;

    awaitable<void> open(const std::vector<std::string>&) override {
        std::cout << "WebSocket opened\n";
        co_return;
    }
    awaitable<void> on_message(websocket::Message message) override {
        co_await write_message("You said: " + message.data);
    }
    void on_close() override { std::cout << "WebSocket closed\n"; }
};
// guide:end handler

// guide:begin client
awaitable<void> talk(std::string url) {
    auto connection = co_await websocket::websocket_connect(url);
    co_await connection->write_message("hello");
    while (auto message = co_await connection->read_message())  // std::nullopt once closed
        std::cout << message->data << "\n";
}
// guide:end client

int main() {
    web::Application application({web::url<EchoWebSocket>("/websocket")});
    application.listen(8888);
    typhoon::ioloop::IOLoop::current().spawn_callback(
        [] { return talk("ws://localhost:8888/websocket"); });
    typhoon::ioloop::IOLoop::current().start();
}
