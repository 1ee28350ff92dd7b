#ifndef TYPHOON_REDIS_SRC_SUBSCRIPTION_STATE_HPP
#define TYPHOON_REDIS_SRC_SUBSCRIPTION_STATE_HPP

#include "connection.hpp"

#include <typhoon/ioloop/event.hpp>
#include <typhoon/redis/subscription.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace typhoon::redis::detail {

/// A Subscription's connection, its channels and patterns, and the messages not yet taken.
struct SubscriptionState {
    SubscriptionState(Config config, ioloop::IOLoop& loop);
    ~SubscriptionState();

    /// A new connection subscribed to every channel and pattern, once Redis confirmed them.
    boost::asio::awaitable<void> connect(std::optional<gen::Deadline> deadline);
    /// Sends (P)SUBSCRIBE or (P)UNSUBSCRIBE for `names` and waits for Redis's confirmations,
    /// one per name.
    boost::asio::awaitable<void> request(const char* command, std::vector<std::string> names,
                                         std::optional<gen::Deadline> deadline);
    static void on_message(redisAsyncContext* context, void* reply, void* data);

    Config config;
    ioloop::IOLoop& loop;
    std::shared_ptr<Connection> connection;
    std::vector<std::string> channels, patterns;
    std::deque<Message> messages;
    locks::Event changed;  // a message came, a confirmation came or the connection went
    std::size_t unconfirmed = 0;
    std::chrono::milliseconds backoff{0};
    std::size_t reconnections = 0;
    bool closed = false;
};

}  // namespace typhoon::redis::detail

#endif
