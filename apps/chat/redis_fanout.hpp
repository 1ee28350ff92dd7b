// The chat across processes: every chat process started with the same --redis is one chat.
#ifndef CHAT_REDIS_FANOUT_HPP
#define CHAT_REDIS_FANOUT_HPP

#include "chat.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace chat {

/** Makes the chats of every process on one Redis a single chat (Tornado's demo keeps it in
    memory, so each process behind nginx would be a chat of its own).

    The latest messages are a capped Redis list, `<prefix>:messages`, and a new message is also
    published on a channel of the same name. Both happen in one MULTI/EXEC, so the order of the
    list is the order in which every process receives the messages. Each process mirrors the
    list into its Chat (what a fresh page shows, where a long-poll cursor is looked up) from its
    subscription, so a browser whose next request reaches another process finds its cursor
    there and gets what it missed.

    Pub/sub keeps nothing for a subscriber that is away. When the subscription was lost and
    made again, the list is read once more and what the process missed is delivered, in order,
    with nothing shown twice (messages are told apart by their ids). While Redis is
    unreachable, posting fails (publish() raises) and the process serves what it mirrors.

        chat::Chat chat;
        chat::RedisFanout fanout("redis://127.0.0.1:6379/0", chat);
        co_await fanout.start();   // history loaded, subscribed; chat.fanout is set
        // ... serve; Chat::post() now publishes through Redis

    Loop thread only; `chat` must outlive the fanout. */
class RedisFanout final {
public:
    /** @throws redis::URLError for a URL the Redis client does not take; nothing connects yet.
        `cache_size` bounds the list, as it bounds the MessageBuffer's cache. */
    RedisFanout(std::string_view url, Chat& chat, std::string prefix = "chat",
                std::size_t cache_size = 200);
    /// stop()s: the relay ends and `chat.fanout` is cleared.
    ~RedisFanout();
    RedisFanout(const RedisFanout&) = delete;
    RedisFanout& operator=(const RedisFanout&) = delete;

    /** Subscribes, loads the list into the chat, sets `chat.fanout` and starts relaying
        published messages into it; returns once the history is loaded.
        @throws redis::Error (ConnectionError, TimeoutError) when Redis cannot be reached. */
    boost::asio::awaitable<void> start();

    /** Appends `message` to the list (trimmed to the cache size) and publishes it, in one
        transaction. @throws redis::Error when Redis cannot be reached or refuses. */
    boost::asio::awaitable<void> publish(const boost::json::object& message);

    /// Ends the relay and closes the connections; the chat keeps what it has.
    void stop() noexcept;

    /// Messages this process took from Redis and delivered into its chat; for tests.
    std::size_t delivered() const noexcept;

    struct State;

private:
    std::shared_ptr<State> state_;
};

}  // namespace chat

#endif
