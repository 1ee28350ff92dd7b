#include "websocket_chat.hpp"

#include "message.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/core/log.hpp>

#include <string>

namespace chat {

boost::json::array ChatRoom::cache() const {
    return boost::json::array(cache_.begin(), cache_.end());
}

void ChatRoom::update_cache(boost::json::object message) {
    cache_.push_back(std::move(message));
    while (cache_.size() > cache_size_)
        cache_.pop_front();
}

void ChatRoom::send_updates(const boost::json::object& message) {
    typhoon::log::app_log.info("sending message to " + std::to_string(sockets_.size()) +
                               " waiters");
    const std::string text = typhoon::escape::json_encode(message);
    // Each write is queued by the call; what it returns is not awaited. A socket that is
    // closing refuses it, and on_close() takes it out of the room.
    for (auto* socket : sockets_)
        static_cast<void>(socket->write_message(text));
}

boost::asio::awaitable<void> WebSocketPageHandler::get() {
    render("websocket.html", {{"messages", room_->cache()}, {"post_url", ""}});
    co_return;
}

boost::asio::awaitable<void> ChatSocketHandler::open(const std::vector<std::string>&) {
    room_->join(*this);
    co_return;
}

boost::asio::awaitable<void> ChatSocketHandler::on_message(typhoon::websocket::Message message) {
    const boost::json::string* body = nullptr;
    try {
        const auto parsed = typhoon::escape::json_decode(message.data);
        if (const auto* object = parsed.if_object())
            if (const auto* field = object->if_contains("body")) body = field->if_string();
        if (body && !body->empty()) {
            auto chat = make_message(*this, std::string(*body));
            room_->update_cache(chat);
            room_->send_updates(chat);
            co_return;
        }
    } catch (const typhoon::escape::JSONDecodeError&) {
    }
    typhoon::log::app_log.warning("closing a chat socket that sent " + message.data.substr(0, 80));
    close(1007, R"(expected {"body": "some text"})");
}

}  // namespace chat
