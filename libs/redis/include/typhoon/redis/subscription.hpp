#ifndef TYPHOON_REDIS_SUBSCRIPTION_HPP
#define TYPHOON_REDIS_SUBSCRIPTION_HPP

#include <typhoon/ioloop/timeout.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace typhoon::redis {

namespace detail {
struct SubscriptionState;
}

/// One message of a subscription (redis-py's message dict without its "type").
struct Message {
    std::string channel;                 ///< the channel it was published on
    std::optional<std::string> pattern;  ///< the PSUBSCRIBE pattern it matched, if any
    std::string payload;                 ///< the bytes PUBLISH sent, NUL bytes included
};

/** The messages of the channels and patterns a Client subscribed to, as an asynchronous
    stream, on a connection of its own (Redis allows only (P)SUBSCRIBE, (P)UNSUBSCRIBE and PING
    on a subscribed connection, so it cannot serve the client's other commands).

        auto sub = co_await client.subscribe({"chat"});
        for (;;) {
            auto message = co_await sub.next();
            std::cout << message.channel << ": " << message.payload << '\n';
        }

    When the connection is lost, the next call of next() reconnects, with the client's backoff
    between attempts, and subscribes again to every channel and pattern; it returns once a
    message arrives. Messages published while no connection was subscribed are lost: Redis
    pub/sub keeps nothing for absent subscribers (use a list or a stream when that matters).
    Messages that have arrived wait in the Subscription, without a bound, until next() takes
    them; a consumer that falls far behind is cut off by Redis's client-output-buffer-limit.
    Use a Subscription on the loop that made it; it closes its connection when destroyed. */
class Subscription {
public:
    ///@{
    /// A moved-from Subscription may only be destroyed or assigned.
    Subscription(Subscription&&) noexcept;
    Subscription& operator=(Subscription&&) noexcept;
    ///@}
    ~Subscription();

    /** The next message, first waiting for one (and reconnecting, see above).
        @throws redis::TimeoutError when `timeout` passes first; the subscription stays usable.
        @throws redis::ConnectionError after close(). */
    boost::asio::awaitable<Message> next(std::optional<gen::Deadline> timeout = std::nullopt);

    ///@{
    /** Adds channels (SUBSCRIBE) or patterns (PSUBSCRIBE) and returns once Redis confirmed
        them; while disconnected they are only noted, for the next reconnection.
        @throws redis::ConnectionError when the connection is lost meanwhile.
        @throws redis::TimeoutError when Redis does not confirm within the connect timeout. */
    boost::asio::awaitable<void> subscribe(std::vector<std::string> channels);
    boost::asio::awaitable<void> psubscribe(std::vector<std::string> patterns);
    ///@}

    ///@{
    /** Removes channels (UNSUBSCRIBE) or patterns (PUNSUBSCRIBE) and returns once Redis
        confirmed it; names not subscribed to are ignored. Messages that came through them and
        were not taken yet are dropped, and none comes after. It does not fail: while
        disconnected, or when the connection is lost before Redis confirms (or is dropped for
        not confirming within the connect timeout), the names are only forgotten, and the next
        connection is made without them. */
    boost::asio::awaitable<void> unsubscribe(std::vector<std::string> channels);
    boost::asio::awaitable<void> punsubscribe(std::vector<std::string> patterns);
    ///@}

    ///@{
    /// The channels and patterns subscribed to, in the order first given.
    const std::vector<std::string>& channels() const noexcept;
    const std::vector<std::string>& patterns() const noexcept;
    ///@}

    /** How many times next() has subscribed again on a new connection. Whatever was published
        in between is lost, so a consumer that mirrors state kept beside the channel (a list, a
        stream) re-reads it when this count changes. */
    std::size_t reconnections() const noexcept;

    /// Closes the connection; messages not yet taken are dropped and next() raises.
    void close() noexcept;

private:
    friend class Client;
    explicit Subscription(std::unique_ptr<detail::SubscriptionState> state);
    std::unique_ptr<detail::SubscriptionState> state_;
};

}  // namespace typhoon::redis

#endif
