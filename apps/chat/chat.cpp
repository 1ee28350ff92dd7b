#include "chat.hpp"

#include "redis_fanout.hpp"

#include <typhoon/core/json.hpp>

#include <utility>

namespace chat {

void Chat::deliver(boost::json::object message, std::string_view text) {
    sockets.send_updates(text);
    messages.add_message(std::move(message));
}

boost::asio::awaitable<void> Chat::post(boost::json::object message) {
    if (fanout)
        co_await fanout->publish(message);
    else
        deliver(message, typhoon::escape::json_encode(message));
}

}  // namespace chat
