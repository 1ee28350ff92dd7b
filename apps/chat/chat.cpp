#include "chat.hpp"

#include "redis_fanout.hpp"

#include <utility>

namespace chat {

void Chat::deliver(boost::json::object message) {
    sockets.send_updates(message);
    messages.add_message(std::move(message));
}

boost::asio::awaitable<void> Chat::post(boost::json::object message) {
    if (fanout)
        co_await fanout->publish(message);
    else
        deliver(std::move(message));
}

}  // namespace chat
