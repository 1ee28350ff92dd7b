#include "websocket_chat.hpp"

#include "message.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/gen.hpp>

#include <string>
#include <vector>

namespace chat {

boost::json::array ChatRoom::cache() const {
    return boost::json::array(cache_.begin(), cache_.end());
}

void ChatRoom::update_cache(boost::json::object message) {
    cache_.push_back(std::move(message));
    while (cache_.size() > cache_size_)
        cache_.pop_front();
}

boost::asio::awaitable<void> ChatRoom::send_updates(const boost::json::object& message) {
    typhoon::log::app_log.info("sending message to " + std::to_string(sockets_.size()) +
                               " waiters");
    const boost::json::value text = message;
    std::vector<boost::asio::awaitable<void>> deliveries;
    for (auto* socket : sockets_)
        deliveries.push_back(deliver(socket, text));
    co_await typhoon::gen::multi(std::move(deliveries));
}

boost::asio::awaitable<void> ChatRoom::deliver(ChatSocketHandler* socket,
                                               const boost::json::value& message) {
    // A socket may have left while the earlier deliveries waited.
    if (!sockets_.contains(socket)) co_return;
    try {
        co_await socket->write_message(message);
    } catch (const typhoon::websocket::WebSocketClosedError&) {
        // It is closing: on_close() takes it out of the room.
    }
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
            co_await room_->send_updates(chat);
            co_return;
        }
    } catch (const typhoon::escape::JSONDecodeError&) {
    }
    typhoon::log::app_log.warning("closing a chat socket that sent " + message.data.substr(0, 80));
    close(1007, R"(expected {"body": "some text"})");
}

}  // namespace chat
