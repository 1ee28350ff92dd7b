// The WebSocket chat (Tornado's websocket demo): every browser keeps a socket to /chatsocket, and
// each message is broadcast to all of them.
#ifndef CHAT_WEBSOCKET_CHAT_HPP
#define CHAT_WEBSOCKET_CHAT_HPP

#include <typhoon/web/request_handler.hpp>
#include <typhoon/websocket/websocket_handler.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <deque>
#include <set>

namespace chat {

class ChatSocketHandler;

/** The sockets in the chat and the latest messages (the class attributes of Tornado's
    ChatSocketHandler). Loop thread only. */
class ChatRoom final {
public:
    explicit ChatRoom(std::size_t cache_size = 200) : cache_size_(cache_size) {}

    /// The cached messages, oldest first (what a fresh page shows).
    boost::json::array cache() const;
    /// Keeps `message`, dropping the oldest past cache_size.
    void update_cache(boost::json::object message);

    void join(ChatSocketHandler& socket) { sockets_.insert(&socket); }
    void leave(ChatSocketHandler& socket) { sockets_.erase(&socket); }
    std::size_t size() const noexcept { return sockets_.size(); }
    /** Queues `message` for every socket in the room and returns at once, as Tornado's chat
        does: nobody waits for a slow reader. One that stops reading is closed by the
        application's outbound limit or write timeout (see make_app()), and leaves the room. */
    void send_updates(const boost::json::object& message);

private:
    std::set<ChatSocketHandler*> sockets_;
    std::deque<boost::json::object> cache_;
    std::size_t cache_size_;
};

/// GET /socket: the chat page with the cached messages.
class WebSocketPageHandler final : public typhoon::web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(ChatRoom& room) { room_ = &room; }
    boost::asio::awaitable<void> get() override;

private:
    ChatRoom* room_ = nullptr;
};

/** /chatsocket: a browser's socket. It sends {"body": text}; every socket, the sender's included,
    receives the message as {id, body, html}. Anything else closes the socket with 1007. Messages
    are compressed (permessage-deflate) when the browser offers it. */
class ChatSocketHandler final : public typhoon::websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    void initialize(ChatRoom& room) { room_ = &room; }

    std::optional<typhoon::websocket::CompressionOptions> get_compression_options() override {
        return typhoon::websocket::CompressionOptions{};
    }
    boost::asio::awaitable<void> open(const std::vector<std::string>& args) override;
    boost::asio::awaitable<void> on_message(typhoon::websocket::Message message) override;
    void on_close() override { room_->leave(*this); }

private:
    ChatRoom* room_ = nullptr;
};

}  // namespace chat

#endif
