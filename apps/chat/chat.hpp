// The chat of one process: its messages, its browsers, and the one way a message enters it.
#ifndef CHAT_CHAT_HPP
#define CHAT_CHAT_HPP

#include "message_buffer.hpp"
#include "websocket_chat.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <string_view>

namespace chat {

class RedisFanout;

/** What the chat remembers while the server runs; one per application, on its loop. Browsers
    on the long-polling page and on the WebSocket page are in the same chat: each sees what the
    others post, whichever way. Alone, a process is its own chat; with a RedisFanout, every
    process on that Redis is one chat, which this one mirrors. */
struct Chat {
    /// The latest messages (what a fresh page shows) and the long polls waiting for the next.
    MessageBuffer messages;
    /// The WebSocket browsers.
    ChatRoom sockets;
    /// Set: messages go through Redis to every process. Null: this process only.
    RedisFanout* fanout = nullptr;

    /** Shows `message` to this process's browsers: it joins the cache, wakes the long polls and
        goes out on every socket. What a post does in one process, and what the fanout does
        with a message from any process. `text` is its JSON, as the sockets receive it: the
        fanout has it from Redis already, and it is made once whatever the number of sockets. */
    void deliver(boost::json::object message, std::string_view text);
    /** Posts a new message: delivered here at once, or published through the fanout (and
        delivered here when Redis sends it back, in the same order as everywhere else).
        @throws redis::Error when Redis cannot take it; nothing was posted then. */
    boost::asio::awaitable<void> post(boost::json::object message);
};

}  // namespace chat

#endif
