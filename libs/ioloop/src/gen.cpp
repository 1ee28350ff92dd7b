#include <typhoon/ioloop/gen.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "loop_timer.hpp"

#include <exception>

namespace typhoon::gen {

namespace asio = boost::asio;

awaitable<void> sleep(std::chrono::steady_clock::duration duration) {
    ioloop::detail::LoopTimer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::use_awaitable);
}

awaitable<void> moment() {
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
}

namespace detail {

awaitable<void> with_timeout(Deadline deadline, awaitable<void> operation) {
    auto executor = co_await asio::this_coro::executor;
    ioloop::detail::LoopTimer timer(executor, deadline.when());
    // Whichever finishes first, by success or failure, cancels the other; the group then waits for
    // the loser to finish, so nothing outlives this frame.
    auto [order, error, timer_error] =
        co_await asio::experimental::make_parallel_group(
            asio::co_spawn(executor, std::move(operation), asio::deferred),
            timer.async_wait(asio::deferred))
            .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    (void)timer_error;
    if (order[0] == 1) throw TimeoutError("Timeout");
    if (error) std::rethrow_exception(error);
}

awaitable<void> multi(std::vector<awaitable<void>> operations) {
    if (operations.empty()) co_return;
    auto executor = co_await asio::this_coro::executor;
    using Operation =
        decltype(asio::co_spawn(executor, std::move(operations.front()), asio::deferred));
    std::vector<Operation> spawned;
    spawned.reserve(operations.size());
    for (auto& operation : operations)
        spawned.push_back(asio::co_spawn(executor, std::move(operation), asio::deferred));
    auto [order, errors] =
        co_await asio::experimental::make_parallel_group(std::move(spawned))
            .async_wait(asio::experimental::wait_for_one_error(), asio::use_awaitable);
    // The first failure in completion order is the cause; the others are its cancellations.
    for (const std::size_t index : order) {
        if (errors[index]) std::rethrow_exception(errors[index]);
    }
}

}  // namespace detail
}  // namespace typhoon::gen
