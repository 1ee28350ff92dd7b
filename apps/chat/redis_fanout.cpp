#include "redis_fanout.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/redis/client.hpp>

#include <chrono>
#include <deque>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

namespace chat {

namespace asio = boost::asio;
namespace redis = typhoon::redis;
using namespace std::chrono_literals;

namespace {
/// The ids of the latest messages delivered, oldest first, bounded.
class Seen {
public:
    explicit Seen(std::size_t capacity) : capacity_(capacity) {}
    bool contains(const std::string& id) const { return ids_.contains(id); }
    void add(std::string id) {
        order_.push_back(id);
        ids_.insert(std::move(id));
        while (order_.size() > capacity_) {
            ids_.erase(order_.front());
            order_.pop_front();
        }
    }

private:
    std::size_t capacity_;
    std::deque<std::string> order_;
    std::unordered_set<std::string> ids_;
};

/// A message as the lists and channels carry it (its JSON text), and its id; nullopt for
/// anything else, which some other program may have written under our names.
std::optional<std::pair<std::string, boost::json::object>> parse(std::string_view text) {
    try {
        auto value = typhoon::escape::json_decode(text);
        if (auto* object = value.if_object())
            if (const auto* id = object->if_contains("id"); id && id->is_string())
                return std::pair{std::string(id->as_string()), std::move(*object)};
    } catch (const typhoon::escape::JSONDecodeError&) {
    }
    typhoon::log::app_log.warning("chat: ignoring a message in Redis that is not one of ours: " +
                                  std::string(text.substr(0, 80)));
    return std::nullopt;
}
}  // namespace

struct RedisFanout::State {
    State(std::string_view url, Chat& c, std::string prefix, std::size_t size)
        // A browser waits for its post: a stuck Redis answers it with an error in seconds.
        : client(url, {.command_timeout = 5s}),
          chat(c),
          key(std::move(prefix) + ":messages"),
          cache_size(size),
          seen(2 * size) {}

    /// Delivers a message unless this process has it already.
    void take(std::string_view text) {
        auto parsed = parse(text);
        if (!parsed || seen.contains(parsed->first)) return;
        seen.add(std::move(parsed->first));
        ++delivered;
        chat.deliver(std::move(parsed->second), text);  // the JSON every socket is sent
    }

    /** Reads the list and delivers, in its order, what came after the newest message this
        process has: the whole history at the start, what was missed after a reconnection. */
    asio::awaitable<std::size_t> catch_up() {
        const auto reply = co_await client.command("LRANGE", key, 0, -1);
        const auto& entries = reply.as_array();
        auto first = entries.size();  // just after the newest one delivered here already
        while (first > 0) {
            const auto parsed = parse(entries[first - 1].as_string());
            if (parsed && seen.contains(parsed->first)) break;
            --first;
        }
        for (auto i = first; i < entries.size(); ++i)
            take(entries[i].as_string());
        co_return entries.size() - first;
    }

    /// Takes what the subscription brings until stop(); catches up after each reconnection.
    static asio::awaitable<void> relay(std::shared_ptr<State> self) {
        while (!self->stopped) {
            std::optional<redis::Message> message;
            bool failed = false;
            try {
                // Woken every second at most, so that a reconnection made while the chat is
                // quiet is caught up at once rather than at the next message.
                message = co_await self->subscription->next(1s);
            } catch (const redis::TimeoutError&) {
            } catch (const redis::Error& e) {
                if (!self->stopped) typhoon::log::app_log.warning(std::string("chat: ") + e.what());
                failed = true;
            }
            if (self->stopped) break;
            if (failed) {
                co_await typhoon::gen::sleep(1s);
                continue;
            }
            // guide:begin catch-up
            if (self->subscription->reconnections() != self->caught_up_at) {
                std::optional<std::string> error;
                try {
                    const auto missed = co_await self->catch_up();
                    self->caught_up_at = self->subscription->reconnections();
                    typhoon::log::app_log.info("chat: subscribed to Redis again; " +
                                               std::to_string(missed) +
                                               " messages posted meanwhile delivered");
                } catch (const redis::Error& e) {
                    error = e.what();
                }
                // The message waits in the list: the next catch-up delivers it, in its place.
                if (error) {
                    typhoon::log::app_log.warning("chat: cannot catch up with Redis: " + *error);
                    continue;
                }
            }
            if (message && message->channel == self->key) self->take(message->payload);
            // guide:end catch-up
        }
    }

    redis::Client client;
    std::optional<redis::Subscription> subscription;
    Chat& chat;
    std::string key;  // of the list, and the name of the channel
    std::size_t cache_size;
    Seen seen;
    std::size_t caught_up_at = 0;
    std::size_t delivered = 0;
    bool stopped = false;
};

RedisFanout::RedisFanout(std::string_view url, Chat& chat, std::string prefix,
                         std::size_t cache_size)
    : state_(std::make_shared<State>(url, chat, std::move(prefix), cache_size)) {}

RedisFanout::~RedisFanout() {
    stop();
}

asio::awaitable<void> RedisFanout::start() {
    // Subscribed first, then the list: a message posted in between is in both, and is
    // delivered once.
    state_->subscription.emplace(co_await state_->client.subscribe({state_->key}));
    co_await state_->catch_up();
    state_->chat.fanout = this;
    typhoon::ioloop::IOLoop::current().spawn_callback(
        [state = state_]() -> asio::awaitable<void> { co_await State::relay(state); });
}

// guide:begin publish
asio::awaitable<void> RedisFanout::publish(const boost::json::object& message) {
    const auto& key = state_->key;
    const auto text = typhoon::escape::json_encode(message);
    const auto replies = co_await state_->client.pipeline({
        {"MULTI"},
        {"RPUSH", key, text},
        {"LTRIM", key, "-" + std::to_string(state_->cache_size), "-1"},
        {"PUBLISH", key, text},
        {"EXEC"},
    });
    for (const auto& reply : replies)
        if (reply.is_error()) throw redis::ReplyError(reply.error_message());
    for (const auto& result : replies.back().as_array())  // what each queued command answered
        if (result.is_error()) throw redis::ReplyError(result.error_message());
}
// guide:end publish

void RedisFanout::stop() noexcept {
    auto& state = *state_;
    if (state.chat.fanout == this) state.chat.fanout = nullptr;
    if (state.stopped) return;
    state.stopped = true;
    if (state.subscription) state.subscription->close();
    state.client.close();
}

std::size_t RedisFanout::delivered() const noexcept {
    return state_->delivered;
}

}  // namespace chat
