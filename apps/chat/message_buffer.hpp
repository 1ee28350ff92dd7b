// The long-polling chat's memory (the MessageBuffer of Tornado's chatdemo): the latest messages,
// and a Condition that wakes every browser waiting for the next one.
#ifndef CHAT_MESSAGE_BUFFER_HPP
#define CHAT_MESSAGE_BUFFER_HPP

#include <typhoon/ioloop/condition.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <deque>
#include <optional>
#include <string_view>

namespace chat {

/** Messages are JSON objects with an "id" (a UUID), the "body" as typed and its "html". A
    browser's cursor is the id of the last message it has shown. Loop thread only. */
class MessageBuffer final {
public:
    explicit MessageBuffer(std::size_t cache_size = 200) : cache_size_(cache_size) {}

    /** The messages after `cursor`, oldest first. Without a cursor, or with one that has left the
        cache (the browser was away too long), every cached message: the browser skips those it
        shows already. */
    boost::json::array get_messages_since(std::optional<std::string_view> cursor) const;
    /// Keeps `message` (dropping the oldest past cache_size) and wakes every waiter.
    void add_message(boost::json::object message);
    /** Waits until the next add_message(). Cancellable (an asio cancellation signal): that is how
        a waiter whose browser left is removed. */
    boost::asio::awaitable<void> wait();

    /// The cached messages, oldest first (what a fresh page shows).
    boost::json::array cache() const { return get_messages_since(std::nullopt); }
    /// How many coroutines wait in wait() now: what a test watches to see a waiter leave.
    std::size_t waiters() const noexcept { return waiters_; }

private:
    typhoon::locks::Condition cond_;
    std::deque<boost::json::object> cache_;
    std::size_t cache_size_;
    std::size_t waiters_ = 0;
};

}  // namespace chat

#endif
