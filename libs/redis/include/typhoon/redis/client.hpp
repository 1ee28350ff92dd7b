#ifndef TYPHOON_REDIS_CLIENT_HPP
#define TYPHOON_REDIS_CLIENT_HPP

#include <typhoon/redis/errors.hpp>
#include <typhoon/redis/reply.hpp>
#include <typhoon/redis/subscription.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

/// Redis for coroutines: commands, pipelining and pub/sub on hiredis, driven by the IOLoop.
namespace typhoon::redis {

namespace detail {
class ClientState;

template <class T>
std::string to_argument(const T& value) {
    if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        return std::string(std::string_view(value));
    } else {
        static_assert(
            std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>,
            "a Redis argument is a string (any bytes) or a number");
        return std::to_string(value);
    }
}
}  // namespace detail

/** How a Client connects and waits; the URL gives the server, credentials and database. */
struct ClientOptions {
    /// Connections the client keeps (see Client). Subscriptions have their own, apart.
    int pool_size = 1;
    /// How long opening a connection may take: TCP or UNIX connect, AUTH and SELECT.
    std::chrono::milliseconds connect_timeout = std::chrono::seconds(5);
    /** How long a command (or a whole pipeline()) may wait for its reply; std::nullopt waits
        for ever. Give blocking commands (BLPOP, XREAD BLOCK) a client with a longer one.
        On expiry the command raises TimeoutError and its connection is closed: Redis answers
        in order, so every command pipelined behind the late one would wait for it too, and
        hiredis cannot take a sent command back. Those commands fail with ConnectionError. */
    std::optional<std::chrono::milliseconds> command_timeout = std::chrono::seconds(30);
    ///@{
    /// After a failed connection attempt, commands fail at once with ConnectionError for
    /// `reconnect_backoff`, which doubles with each further failure up to
    /// `max_reconnect_backoff`; a successful connection resets it. A connection that was lost
    /// after working is reopened by the very next command.
    std::chrono::milliseconds reconnect_backoff = std::chrono::milliseconds(100);
    std::chrono::milliseconds max_reconnect_backoff = std::chrono::seconds(5);
    ///@}
};

/** A Redis server, through a small pool of connections: every command is a coroutine on the
    loop, and commands that are awaited concurrently share a connection by pipelining (hiredis
    writes them back to back and Redis answers them in order).

        redis::Client client("redis://:secret@127.0.0.1:6379/2");
        co_await client.command("SET", "greeting", "hello");
        auto reply = co_await client.command("GET", "greeting");   // reply.as_string() == "hello"
        auto counts = co_await client.pipeline({{"INCR", "hits"}, {"INCR", "hits"}});

    URLs, as redis-py reads them:
    - `redis://[[user]:password@]host[:port][/db][?db=N]`: TCP, port 6379 and database 0 unless
      given; a host may be an IPv6 literal in brackets. The password (percent-decoded) is sent
      as `AUTH password`, or `AUTH user password` when a user is named: that form is Redis 6's
      ACLs, and the client sends it as a plain command because hiredis 0.14 does no
      authentication of its own (user "default" with requirepass works on any Redis 6+).
    - `unix:///path/to/redis.sock[?db=N][&password=P]` (also `unix://:P@/path/...`).
    - `rediss://` (TLS) is refused: Debian 12's hiredis 0.14 has no TLS.
    Connections open lazily, on first use, and each sends AUTH and SELECT before any command.

    Pool: each command goes to the connection with the fewest commands in flight, ties taken
    round robin, so a slow command does not hold back the others. Commands of one coroutine,
    awaited one after the other, run in that order; concurrent ones may run on different
    connections in any order. pipeline() sends its whole batch on one connection, which is
    also how MULTI ... EXEC is sent (a transaction belongs to one connection).

    Losses: every command in flight on a lost connection fails with ConnectionError, at once
    (it never hangs); the next command reconnects (see ClientOptions for the backoff).
    Limits of hiredis 0.14, kept rather than worked around: RESP2 only (no RESP3, no client
    tracking), no TLS, and a host name is resolved by a blocking getaddrinfo() when a
    connection opens: give an IP address or a UNIX socket where that matters.
    Use a Client on the loop that made it; it must outlive the coroutines that use it, and the
    loop must outlive it. */
class Client final {
public:
    /** @throws URLError for a URL that is not one of the forms above; nothing is connected yet. */
    explicit Client(std::string_view url, ClientOptions options = {});
    ///@{
    /// Moves the pool; assignment first closes the connections this one had. A moved-from
    /// Client may only be destroyed or assigned.
    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    ///@}
    /// Closes the pool's connections; commands still waiting fail with ConnectionError.
    ~Client();

    /** Sends one command, `command("SET", key, value)`, and returns Redis's reply. Arguments
        are strings of any bytes (NUL included: each is sent with its length) or numbers.
        @throws ReplyError for an error reply (Redis's message; the connection stays usable).
        @throws ConnectionError when the connection cannot be opened or is lost before the reply.
        @throws TimeoutError after ClientOptions::command_timeout (the connection is closed). */
    template <class... Args>
        requires(sizeof...(Args) > 0)
    boost::asio::awaitable<Reply> command(const Args&... args) {
        return command(std::vector<std::string>{detail::to_argument(args)...});
    }
    /// The same, with the command and its arguments in a vector.
    boost::asio::awaitable<Reply> command(std::vector<std::string> arguments);

    /** Sends `commands` back to back on one connection and returns their replies in order.
        An error reply does not raise here: it is the Reply of that command (`is_error()`), and
        the other commands still run, as Redis runs them. The timeout covers the whole batch.
        @throws ConnectionError, TimeoutError as command() does; no reply is returned then. */
    boost::asio::awaitable<std::vector<Reply>> pipeline(
        std::vector<std::vector<std::string>> commands);

    ///@{
    /** Opens a connection of its own for pub/sub and returns once Redis confirmed every channel
        (SUBSCRIBE) or pattern (PSUBSCRIBE); see Subscription.
        @throws ConnectionError when it cannot connect; TimeoutError after the connect timeout. */
    boost::asio::awaitable<Subscription> subscribe(std::vector<std::string> channels);
    boost::asio::awaitable<Subscription> psubscribe(std::vector<std::string> patterns);
    ///@}

    /// Closes every connection of the pool; commands in flight fail with ConnectionError and
    /// the next command opens a new one. Subscriptions are not affected.
    void close() noexcept;

    /// Connections of the pool that are open (or opening) now; for monitoring and tests.
    std::size_t open_connections() const noexcept;

private:
    std::unique_ptr<detail::ClientState> state_;
};

}  // namespace typhoon::redis

#endif
