#ifndef TYPHOON_REDIS_SRC_CONNECTION_HPP
#define TYPHOON_REDIS_SRC_CONNECTION_HPP

#include "url.hpp"

#include <typhoon/ioloop/event.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/redis/client.hpp>
#include <typhoon/redis/reply.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct redisAsyncContext;
struct redisReply;

namespace typhoon::redis::detail {

class Socket;

/// What a Client and its Subscriptions need to open connections.
struct Config {
    Endpoint endpoint;
    ClientOptions options;
};

/// Reply as the client hands it out, from hiredis's parse.
Reply to_reply(const redisReply& reply);

/** The replies one caller waits for: one command's, or a pipeline's batch. hiredis calls back
    once per command, in order, with the reply or (when the connection goes) with none; the
    state stays alive until the last of those calls even if its caller has given up. */
struct Pending : std::enable_shared_from_this<Pending> {
    explicit Pending(std::size_t count) : expected(count) { replies.reserve(count); }
    std::size_t expected;
    std::vector<Reply> replies;
    std::string lost;  // why the connection went, when it did before every reply came
    locks::Event done;
    std::shared_ptr<Pending> held_by_hiredis;  // released by the last callback
    std::size_t callbacks_left = 0;
};

/** One hiredis connection on the loop: AUTH and SELECT are sent first and commands queue
    behind them at once (hiredis buffers until the socket connects). It is `usable()` until it
    is lost or dropped; a lost connection is never reused. */
class Connection : public std::enable_shared_from_this<Connection> {
public:
    /// Starts connecting. @throws ConnectionError when that fails at once (no such socket).
    static std::shared_ptr<Connection> open(const Config& config, ioloop::IOLoop& loop);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool usable() const noexcept { return context_ != nullptr && reason_.empty(); }
    /// AUTH and SELECT have succeeded (or there were none and the socket connected).
    bool established() const noexcept { return established_; }
    /// Why it is not usable; empty while it is.
    const std::string& error() const noexcept { return reason_; }
    /// When it stopped being usable.
    ioloop::IOLoop::time_point lost_at() const noexcept { return lost_at_; }
    /// Commands sent whose reply has not come.
    std::size_t in_flight() const noexcept { return in_flight_; }

    /** Queues each of `commands` with one callback per command into `pending`.
        @throws ConnectionError if the connection is not usable. */
    void send(const std::vector<std::vector<std::string>>& commands,
              const std::shared_ptr<Pending>& pending);
    void send(const std::vector<std::string>& command, const std::shared_ptr<Pending>& pending);

    /// Sends a command whose replies go to `callback` (a subscriber's SUBSCRIBE); false if the
    /// connection is not usable.
    bool send_raw(const std::vector<std::string>& command,
                  void (*callback)(redisAsyncContext*, void*, void*), void* data);

    /** Closes the connection now: callbacks run with no reply, and `reason` is what their
        callers are told. Does nothing once it is closed. */
    void drop(std::string reason) noexcept;

    /// Awaits `pending.done`, turning an expiry into TimeoutError and dropping the connection
    /// on expiry or cancellation, then raises ConnectionError if the connection was lost.
    static boost::asio::awaitable<void> wait(std::shared_ptr<Connection> connection,
                                             Pending& pending,
                                             std::optional<std::chrono::milliseconds> timeout);

    /// Why a reply did not come, from hiredis's error or ours.
    std::string loss_message() const;

private:
    Connection(const Config& config, ioloop::IOLoop& loop);
    void start();
    void setup_done(std::string error);
    void lost(std::string reason) noexcept;
    static void on_reply(redisAsyncContext* context, void* reply, void* data);
    static void on_setup_reply(redisAsyncContext* context, void* reply, void* data);
    static void on_connect(const redisAsyncContext* context, int status);
    static void on_disconnect(const redisAsyncContext* context, int status);
    friend class Socket;

    Config config_;
    ioloop::IOLoop& loop_;
    redisAsyncContext* context_ = nullptr;
    std::string reason_;
    bool established_ = false;
    int setup_left_ = 0;
    ioloop::Timeout connect_timer_;
    ioloop::IOLoop::time_point lost_at_{};
    std::size_t in_flight_ = 0;
};

}  // namespace typhoon::redis::detail

#endif
