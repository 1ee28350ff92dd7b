#include "http1_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace typhoon::httpserver::detail {

namespace asio = boost::asio;

namespace {

/// How often a server looks for connections past their deadline: a timeout fires up to this late.
Clock::duration sweep_period(const HTTPServerOptions& options) {
    const Clock::duration shortest =
        std::min({options.header_timeout, options.body_timeout, options.idle_connection_timeout,
                  Clock::duration(std::chrono::seconds(5))});
    return std::clamp<Clock::duration>(shortest / 8, std::chrono::milliseconds(1),
                                       std::chrono::milliseconds(500));
}

awaitable<void> sweep(std::shared_ptr<ServerState> state) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    state->sweep_timer = &timer;
    struct Forget {  // also when the loop is destroyed with the sweep waiting
        ServerState& state;
        ~Forget() { state.sweep_timer = nullptr; }
    } forget{*state};
    const auto period = sweep_period(state->options);
    while (!state->connections.empty()) {
        timer.expires_after(period);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        const auto now = Clock::now();
        // expire() only closes the socket: the connection leaves the set from its own coroutine.
        for (auto* connection : state->connections)
            if (connection->deadline <= now) connection->expire();
    }
}

}  // namespace

void ServerState::add(const std::shared_ptr<ServerState>& state, ConnectionBase* connection,
                      const asio::any_io_executor& executor) {
    state->connections.insert(connection);
    if (!state->sweep_timer) {
        asio::co_spawn(executor, sweep(state), asio::detached);
    }
}

void ServerState::remove(ConnectionBase* connection) noexcept {
    connections.erase(connection);
    if (connections.empty() && sweep_timer) sweep_timer->cancel();  // the sweep ends
}

}  // namespace typhoon::httpserver::detail
