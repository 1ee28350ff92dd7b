// A WebSocket echo server (Tornado's websocket docs example): every message comes back as sent;
// at /websocket-deflate, compressed for a client that offers permessage-deflate.
#ifndef WEBSOCKET_ECHO_ECHO_HPP
#define WEBSOCKET_ECHO_ECHO_HPP

#include <typhoon/web.hpp>
#include <typhoon/websocket.hpp>

namespace websocket_echo {
namespace web = typhoon::web;
namespace websocket = typhoon::websocket;

class EchoWebSocket final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    boost::asio::awaitable<void> open(const std::vector<std::string>&) override {
        set_nodelay(true);  // an echo is latency-bound: do not let Nagle hold small frames
        co_return;
    }
    boost::asio::awaitable<void> on_message(websocket::Message message) override {
        co_await write_message(message.data, {.binary = message.binary});
    }
};

/// The same echo with permessage-deflate (RFC 7692) for a client that offers it, at Tornado's
/// defaults (level 6, memLevel 8, context takeover both ways).
class DeflateEchoWebSocket final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    std::optional<websocket::CompressionOptions> get_compression_options() override {
        return websocket::CompressionOptions{};
    }
    boost::asio::awaitable<void> on_message(websocket::Message message) override {
        co_await write_message(message.data, {.binary = message.binary});
    }
};

inline web::Application make_app() {
    return web::Application({web::url<EchoWebSocket>("/websocket"),
                             web::url<DeflateEchoWebSocket>("/websocket-deflate")});
}
}  // namespace websocket_echo

#endif
