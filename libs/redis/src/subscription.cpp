#include <typhoon/redis/subscription.hpp>

#include "subscription_state.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/redis/errors.hpp>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <deque>
#include <string_view>
#include <utility>

namespace typhoon::redis {

namespace asio = boost::asio;

namespace detail {

namespace {
std::string_view text(const redisReply& reply) {
    return reply.str ? std::string_view(reply.str, reply.len) : std::string_view();
}

/// The sooner of `deadline` and `limit` from now.
gen::Deadline sooner(std::optional<gen::Deadline> deadline, std::chrono::milliseconds limit) {
    gen::Deadline bound(limit);
    if (deadline && deadline->when() < bound.when()) return *deadline;
    return bound;
}
}  // namespace

SubscriptionState::SubscriptionState(Config c, ioloop::IOLoop& l) : config(std::move(c)), loop(l) {}

SubscriptionState::~SubscriptionState() {
    // Before the members go: freeing the context calls on_message, which uses them.
    if (connection) connection->drop("redis: the subscription was closed");
}

void SubscriptionState::on_message(redisAsyncContext*, void* reply, void* data) {
    auto* self = static_cast<SubscriptionState*>(data);
    const auto* r = static_cast<const redisReply*>(reply);
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements >= 3) {
        const auto kind = text(*r->element[0]);
        if (kind == "message") {
            self->messages.push_back({std::string(text(*r->element[1])), std::nullopt,
                                      std::string(text(*r->element[2]))});
        } else if (kind == "pmessage" && r->elements >= 4) {
            self->messages.push_back({std::string(text(*r->element[2])),
                                      std::string(text(*r->element[1])),
                                      std::string(text(*r->element[3]))});
        } else if ((kind == "subscribe" || kind == "psubscribe" || kind == "unsubscribe" ||
                    kind == "punsubscribe") &&
                   self->unconfirmed > 0) {
            --self->unconfirmed;
        }
    }
    // No reply: the connection is going. Either way a waiter has something to look at.
    self->changed.set();
}

asio::awaitable<void> SubscriptionState::request(const char* command,
                                                 std::vector<std::string> names,
                                                 std::optional<gen::Deadline> deadline) {
    if (names.empty()) co_return;
    std::vector<std::string> argv{command};
    argv.insert(argv.end(), names.begin(), names.end());
    auto current = connection;  // the one these confirmations must come on
    if (!current || !current->send_raw(argv, &SubscriptionState::on_message, this))
        throw ConnectionError(current ? current->loss_message() : "redis: not connected");
    unconfirmed += names.size();
    const auto bound = sooner(deadline, config.options.connect_timeout);
    while (current->usable() && unconfirmed > 0) {
        changed.clear();
        try {
            co_await changed.wait(bound);
        } catch (const gen::TimeoutError&) {
            const std::string message =
                "redis: " + config.endpoint.display + " did not confirm " + command + " within " +
                std::to_string(config.options.connect_timeout.count()) + " ms";
            current->drop(message);
            throw TimeoutError(message);
        }
    }
    if (!current->usable()) throw ConnectionError(current->loss_message());
}

asio::awaitable<void> SubscriptionState::connect(std::optional<gen::Deadline> deadline) {
    if (connection) connection->drop("redis: reconnecting");
    connection = Connection::open(config, loop);
    unconfirmed = 0;
    // AUTH and SELECT go first on the connection; these queue behind them.
    co_await request("SUBSCRIBE", channels, deadline);
    co_await request("PSUBSCRIBE", patterns, deadline);
}

}  // namespace detail

Subscription::Subscription(std::unique_ptr<detail::SubscriptionState> state)
    : state_(std::move(state)) {}
Subscription::Subscription(Subscription&&) noexcept = default;
Subscription& Subscription::operator=(Subscription&&) noexcept = default;
Subscription::~Subscription() = default;

asio::awaitable<Message> Subscription::next(std::optional<gen::Deadline> timeout) {
    auto& state = *state_;
    for (;;) {
        if (state.closed) throw ConnectionError("redis: the subscription is closed");
        if (!state.messages.empty()) {
            Message message = std::move(state.messages.front());
            state.messages.pop_front();
            co_return message;
        }
        if (state.connection && state.connection->usable()) {
            state.changed.clear();
            try {
                co_await state.changed.wait(timeout);
            } catch (const gen::TimeoutError&) {
                throw TimeoutError("redis: no message within the timeout");
            }
            continue;
        }
        // Lost: subscribe again on a new connection, backing off while the server is away.
        if (state.backoff.count() > 0) {
            auto pause = std::chrono::steady_clock::duration(state.backoff);
            if (timeout) {
                const auto left = timeout->when() - state.loop.time();
                if (left <= std::chrono::steady_clock::duration::zero())
                    throw TimeoutError("redis: no message within the timeout");
                pause = std::min(pause, left);
            }
            co_await gen::sleep(pause);
            if (timeout && state.loop.time() >= timeout->when())
                throw TimeoutError("redis: no message within the timeout");
        }
        try {
            co_await state.connect(timeout);
            state.backoff = std::chrono::milliseconds(0);
            ++state.reconnections;
            log::gen_log.info("redis: subscribed again to " + state.config.endpoint.display);
        } catch (const Error& e) {
            if (dynamic_cast<const TimeoutError*>(&e) && timeout &&
                state.loop.time() >= timeout->when())
                throw;
            const auto& options = state.config.options;
            state.backoff = state.backoff.count() == 0
                                ? options.reconnect_backoff
                                : std::min(state.backoff * 2, options.max_reconnect_backoff);
            log::gen_log.warning(std::string(e.what()) + "; subscribing again in " +
                                 std::to_string(state.backoff.count()) + " ms");
        }
    }
}

asio::awaitable<void> Subscription::subscribe(std::vector<std::string> channels) {
    auto& state = *state_;
    std::vector<std::string> added;
    for (auto& channel : channels)
        if (std::find(state.channels.begin(), state.channels.end(), channel) ==
            state.channels.end())
            added.push_back(std::move(channel));
    state.channels.insert(state.channels.end(), added.begin(), added.end());
    if (state.connection && state.connection->usable())
        co_await state.request("SUBSCRIBE", std::move(added), std::nullopt);
}

asio::awaitable<void> Subscription::psubscribe(std::vector<std::string> patterns) {
    auto& state = *state_;
    std::vector<std::string> added;
    for (auto& pattern : patterns)
        if (std::find(state.patterns.begin(), state.patterns.end(), pattern) ==
            state.patterns.end())
            added.push_back(std::move(pattern));
    state.patterns.insert(state.patterns.end(), added.begin(), added.end());
    if (state.connection && state.connection->usable())
        co_await state.request("PSUBSCRIBE", std::move(added), std::nullopt);
}

namespace {
/// Takes from `names` those in `subscribed` (which loses them); the others are not subscribed
/// to and need no command.
std::vector<std::string> remove(std::vector<std::string> names,
                                std::vector<std::string>& subscribed) {
    std::vector<std::string> removed;
    for (auto& name : names) {
        const auto at = std::find(subscribed.begin(), subscribed.end(), name);
        if (at == subscribed.end()) continue;
        subscribed.erase(at);
        removed.push_back(std::move(name));
    }
    return removed;
}

/// Drops the messages not yet taken that came through one of `removed`: channels, or patterns.
void drop(std::deque<Message>& messages, const std::vector<std::string>& removed, bool patterns) {
    std::erase_if(messages, [&](const Message& message) {
        if (patterns != message.pattern.has_value()) return false;
        const auto& through = patterns ? *message.pattern : message.channel;
        return std::find(removed.begin(), removed.end(), through) != removed.end();
    });
}
}  // namespace

asio::awaitable<void> Subscription::unsubscribe(std::vector<std::string> channels) {
    auto& state = *state_;
    const auto removed = remove(std::move(channels), state.channels);
    // Messages published before Redis took the command still come: dropped once it confirmed.
    if (state.connection && state.connection->usable()) {
        try {
            co_await state.request("UNSUBSCRIBE", removed, std::nullopt);
        } catch (const Error&) {
            // Lost, or dropped for want of a confirmation: the next connection is made without
            // these names, which is what was asked.
        }
    }
    drop(state.messages, removed, false);
}

asio::awaitable<void> Subscription::punsubscribe(std::vector<std::string> patterns) {
    auto& state = *state_;
    const auto removed = remove(std::move(patterns), state.patterns);
    if (state.connection && state.connection->usable()) {
        try {
            co_await state.request("PUNSUBSCRIBE", removed, std::nullopt);
        } catch (const Error&) {
            // as in unsubscribe()
        }
    }
    drop(state.messages, removed, true);
}

const std::vector<std::string>& Subscription::channels() const noexcept {
    return state_->channels;
}

const std::vector<std::string>& Subscription::patterns() const noexcept {
    return state_->patterns;
}

std::size_t Subscription::reconnections() const noexcept {
    return state_->reconnections;
}

void Subscription::close() noexcept {
    if (!state_) return;
    state_->closed = true;
    state_->messages.clear();
    if (state_->connection) state_->connection->drop("redis: the subscription was closed");
    state_->changed.set();
}

}  // namespace typhoon::redis
