// The WebSocket chat (Tornado's websocket demo): every browser keeps a socket to /chatsocket, and
// each message is broadcast to all of them.
#ifndef CHAT_WEBSOCKET_CHAT_HPP
#define CHAT_WEBSOCKET_CHAT_HPP

#include <typhoon/web/request_handler.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <deque>

namespace chat {

/** The sockets in the chat and the latest messages (the class attributes of Tornado's
    ChatSocketHandler). Loop thread only. */
class ChatRoom final {
public:
    explicit ChatRoom(std::size_t cache_size = 200) : cache_size_(cache_size) {}

    /// The cached messages, oldest first (what a fresh page shows).
    boost::json::array cache() const;
    /// Keeps `message`, dropping the oldest past cache_size.
    void update_cache(boost::json::object message);

private:
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

}  // namespace chat

#endif
