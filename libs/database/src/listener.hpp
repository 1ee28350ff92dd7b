#ifndef TYPHOON_DATABASE_SRC_LISTENER_HPP
#define TYPHOON_DATABASE_SRC_LISTENER_HPP

// The connection a Connection's Notifications share, outside the pool: one coroutine owns it,
// LISTENs on every channel someone reads, hands each notification to the streams of its
// channel, and reopens the connection (LISTENing again) whenever it is lost. Private.

#include "backend.hpp"

#include <typhoon/ioloop/condition.hpp>
#include <typhoon/ioloop/queue.hpp>

#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace typhoon::database::detail {

class Listener;

/// What one Notifications reads from: its channel's notifications, nullopt once closed.
class Subscription {
public:
    Subscription(std::string channel, std::weak_ptr<Listener> listener)
        : channel(std::move(channel)), listener(std::move(listener)) {}
    ~Subscription();
    const std::string channel;
    const std::weak_ptr<Listener> listener;
    queues::Queue<std::optional<Notification>> queue;
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(Settings settings, ioloop::IOLoop& loop);

    /** A stream of `channel`, once the server has confirmed LISTEN on it.
        @throws OperationalError when the server cannot be reached within connect_timeout. */
    awaitable<std::shared_ptr<Subscription>> listen(const std::string& channel);
    /// A stream of `channel` went away: UNLISTEN when it was the last.
    void dropped(const std::string& channel) noexcept;
    /// Closes the connection and ends every stream (they throw from next()).
    void stop() noexcept;

private:
    awaitable<void> run();
    awaitable<void> serve();
    void wake() noexcept;

    Settings settings_;
    ioloop::IOLoop* loop_;
    boost::asio::steady_timer wake_;  // cancelled to wake run() up: a LISTEN to send, or stop
    std::unique_ptr<Backend> backend_;
    std::map<std::string, std::vector<std::weak_ptr<Subscription>>> channels_;
    std::set<std::string> listening_;                   // confirmed on the current connection
    std::deque<std::pair<std::string, bool>> pending_;  // LISTEN (true) or UNLISTEN to send
    locks::Condition changed_;  // a LISTEN confirmed, or an attempt to connect failed
    std::string failure_;       // why the last attempt failed; empty while connected
    std::uint64_t failures_ = 0;
    bool running_ = false;
    bool stopped_ = false;
};

}  // namespace typhoon::database::detail

#endif
