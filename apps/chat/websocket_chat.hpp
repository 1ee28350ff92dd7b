// The WebSocket chat (Tornado's websocket demo): every browser keeps a socket to /chatsocket, and
// each message is broadcast to all of them.
#ifndef CHAT_WEBSOCKET_CHAT_HPP
#define CHAT_WEBSOCKET_CHAT_HPP

#include <typhoon/web/request_handler.hpp>
#include <typhoon/websocket/websocket_handler.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <set>
#include <string_view>

namespace chat {

class ChatSocketHandler;
struct Chat;

/** The sockets in the chat (the `waiters` of Tornado's ChatSocketHandler; its message cache is
    the chat's MessageBuffer, shared with the long-polling page). Loop thread only. */
class ChatRoom final {
public:
    void join(ChatSocketHandler& socket) { sockets_.insert(&socket); }
    void leave(ChatSocketHandler& socket) { sockets_.erase(&socket); }
    std::size_t size() const noexcept { return sockets_.size(); }
    /** Queues `text`, a message's JSON, for every socket in the room and returns at once, as
        Tornado's chat does: nobody waits for a slow reader. One that stops reading is closed by
        the application's outbound limit or write timeout (see make_app()), and leaves the room. */
    void send_updates(std::string_view text);

private:
    std::set<ChatSocketHandler*> sockets_;
};

/// GET /socket: the chat page with the cached messages.
class WebSocketPageHandler final : public typhoon::web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(Chat& chat) { chat_ = &chat; }
    boost::asio::awaitable<void> get() override;

private:
    Chat* chat_ = nullptr;
};

/** /chatsocket: a browser's socket. It sends {"body": text}; every socket, the sender's included,
    receives the message as {id, body, html}. Anything else closes the socket with 1007; a
    message that a chat across processes cannot post (its Redis is away) closes it with 1013
    (try again later). Messages are compressed (permessage-deflate) when the browser offers it. */
class ChatSocketHandler final : public typhoon::websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    void initialize(Chat& chat) { chat_ = &chat; }

    std::optional<typhoon::websocket::CompressionOptions> get_compression_options() override {
        return typhoon::websocket::CompressionOptions{};
    }
    boost::asio::awaitable<void> open(const std::vector<std::string>& args) override;
    boost::asio::awaitable<void> on_message(typhoon::websocket::Message message) override;
    void on_close() override;

private:
    Chat* chat_ = nullptr;
};

}  // namespace chat

#endif
