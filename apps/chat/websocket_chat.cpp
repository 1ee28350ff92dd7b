#include "websocket_chat.hpp"

#include "chat.hpp"
#include "message.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/redis/errors.hpp>

#include <optional>

#include <string>

namespace chat {

void ChatRoom::send_updates(std::string_view text) {
    typhoon::log::app_log.info("sending message to " + std::to_string(sockets_.size()) +
                               " waiters");
    // Each write is queued by the call; what it returns is not awaited. A socket that is
    // closing refuses it, and on_close() takes it out of the room.
    for (auto* socket : sockets_)
        static_cast<void>(socket->write_message(text));
}

boost::asio::awaitable<void> WebSocketPageHandler::get() {
    render("websocket.html", {{"messages", chat_->messages.cache()}, {"post_url", ""}});
    co_return;
}

boost::asio::awaitable<void> ChatSocketHandler::open(const std::vector<std::string>&) {
    chat_->sockets.join(*this);
    co_return;
}

void ChatSocketHandler::on_close() {
    chat_->sockets.leave(*this);
}

boost::asio::awaitable<void> ChatSocketHandler::on_message(typhoon::websocket::Message message) {
    std::optional<boost::json::object> chat;
    try {
        const auto parsed = typhoon::escape::json_decode(message.data);
        const boost::json::string* body = nullptr;
        if (const auto* object = parsed.if_object())
            if (const auto* field = object->if_contains("body")) body = field->if_string();
        if (body && !body->empty()) chat = make_message(*this, std::string(*body));
    } catch (const typhoon::escape::JSONDecodeError&) {
    }
    if (chat) {
        std::optional<std::string> failure;
        try {
            co_await chat_->post(std::move(*chat));
        } catch (const typhoon::redis::Error& e) {
            failure = e.what();
        }
        if (!failure) co_return;
        typhoon::log::app_log.warning("chat: Redis: " + *failure);
        close(1013, "the chat cannot take messages now; try again later");
        co_return;
    }
    typhoon::log::app_log.warning("closing a chat socket that sent " + message.data.substr(0, 80));
    close(1007, R"(expected {"body": "some text"})");
}

}  // namespace chat
