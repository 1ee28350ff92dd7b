#include <typhoon/redis/client.hpp>

#include "connection.hpp"
#include "subscription_state.hpp"

#include <algorithm>
#include <utility>

namespace typhoon::redis {

namespace asio = boost::asio;

namespace detail {

/// One place of the pool: its connection, if any, and the backoff after failed attempts.
struct Slot {
    std::shared_ptr<Connection> connection;
    ioloop::IOLoop::time_point retry_at{};
    std::chrono::milliseconds backoff{0};
    std::string last_error;
};

class ClientState {
public:
    ClientState(Config configuration, ioloop::IOLoop& l)
        : config(std::move(configuration)), loop(l), slots(std::max(1, config.options.pool_size)) {}

    /// The connection for the next command: the least busy, opening one where needed.
    std::shared_ptr<Connection> acquire() {
        const auto now = loop.time();
        std::size_t best = slots.size();
        std::size_t best_load = 0;
        for (std::size_t k = 0; k < slots.size(); ++k) {
            const std::size_t i = (cursor + k) % slots.size();
            Slot& slot = slots[i];
            notice_loss(slot);
            if (!slot.connection && now < slot.retry_at) continue;  // backing off
            const std::size_t load = slot.connection ? slot.connection->in_flight() : 0;
            if (best == slots.size() || load < best_load) {
                best = i;
                best_load = load;
            }
        }
        if (best == slots.size()) {
            const auto& slot = *std::min_element(slots.begin(), slots.end(), [](auto& a, auto& b) {
                return a.retry_at < b.retry_at;
            });
            const auto wait =
                std::chrono::duration_cast<std::chrono::milliseconds>(slot.retry_at - now);
            throw ConnectionError(slot.last_error + " (next attempt in " +
                                  std::to_string(wait.count()) + " ms)");
        }
        cursor = (best + 1) % slots.size();
        Slot& slot = slots[best];
        if (!slot.connection) {
            try {
                slot.connection = Connection::open(config, loop);
            } catch (const ConnectionError& e) {
                slot.last_error = e.what();
                back_off(slot, now);
                throw;
            }
        }
        return slot.connection;
    }

    /// A lost connection leaves its slot; if it never got established, the slot backs off.
    void notice_loss(Slot& slot) {
        if (!slot.connection || slot.connection->usable()) return;
        slot.last_error = slot.connection->error();
        if (slot.connection->established())
            slot.backoff = std::chrono::milliseconds(0);
        else
            back_off(slot, slot.connection->lost_at());
        slot.connection.reset();
    }

    void back_off(Slot& slot, ioloop::IOLoop::time_point failed_at) {
        const auto& options = config.options;
        slot.backoff = slot.backoff.count() == 0
                           ? options.reconnect_backoff
                           : std::min(slot.backoff * 2, options.max_reconnect_backoff);
        slot.retry_at = failed_at + slot.backoff;
    }

    Config config;
    ioloop::IOLoop& loop;
    std::vector<Slot> slots;
    std::size_t cursor = 0;
};

}  // namespace detail

Client::Client(std::string_view url, ClientOptions options)
    : state_(std::make_unique<detail::ClientState>(
          detail::Config{detail::parse_url(url), std::move(options)}, ioloop::IOLoop::current())) {}

Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

asio::awaitable<Reply> Client::command(std::vector<std::string> arguments) {
    if (arguments.empty()) throw Error("redis: command() needs a command name");
    auto connection = state_->acquire();
    auto pending = std::make_shared<detail::Pending>(1);
    connection->send(arguments, pending);
    co_await detail::Connection::wait(connection, *pending, state_->config.options.command_timeout);
    Reply reply = std::move(pending->replies.front());
    if (reply.is_error()) throw ReplyError(reply.error_message());
    co_return reply;
}

asio::awaitable<std::vector<Reply>> Client::pipeline(
    std::vector<std::vector<std::string>> commands) {
    if (commands.empty()) co_return std::vector<Reply>{};
    for (const auto& command : commands)
        if (command.empty()) throw Error("redis: pipeline() got an empty command");
    auto connection = state_->acquire();
    auto pending = std::make_shared<detail::Pending>(commands.size());
    try {
        connection->send(commands, pending);
    } catch (const ConnectionError&) {
        // Part of the batch may be queued: its callbacks must still come, so the connection
        // goes, which delivers them.
        connection->drop(connection->loss_message());
        throw;
    }
    co_await detail::Connection::wait(connection, *pending, state_->config.options.command_timeout);
    co_return std::move(pending->replies);
}

asio::awaitable<Subscription> Client::subscribe(std::vector<std::string> channels) {
    if (channels.empty()) throw Error("redis: subscribe() needs at least one channel");
    auto state = std::make_unique<detail::SubscriptionState>(state_->config, state_->loop);
    state->channels = std::move(channels);
    co_await state->connect(std::nullopt);
    co_return Subscription(std::move(state));
}

asio::awaitable<Subscription> Client::psubscribe(std::vector<std::string> patterns) {
    if (patterns.empty()) throw Error("redis: psubscribe() needs at least one pattern");
    auto state = std::make_unique<detail::SubscriptionState>(state_->config, state_->loop);
    state->patterns = std::move(patterns);
    co_await state->connect(std::nullopt);
    co_return Subscription(std::move(state));
}

void Client::close() noexcept {
    for (auto& slot : state_->slots) {
        if (slot.connection) slot.connection->drop("redis: the client was closed");
        slot.connection.reset();
        slot.backoff = std::chrono::milliseconds(0);
        slot.retry_at = {};
    }
}

std::size_t Client::open_connections() const noexcept {
    return static_cast<std::size_t>(std::count_if(
        state_->slots.begin(), state_->slots.end(),
        [](const auto& slot) { return slot.connection && slot.connection->usable(); }));
}

}  // namespace typhoon::redis
