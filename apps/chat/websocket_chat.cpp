#include "websocket_chat.hpp"

namespace chat {

boost::json::array ChatRoom::cache() const {
    return boost::json::array(cache_.begin(), cache_.end());
}

void ChatRoom::update_cache(boost::json::object message) {
    cache_.push_back(std::move(message));
    while (cache_.size() > cache_size_)
        cache_.pop_front();
}

boost::asio::awaitable<void> WebSocketPageHandler::get() {
    render("websocket.html", {{"messages", room_->cache()}, {"post_url", ""}});
    co_return;
}

}  // namespace chat
