#include <typhoon/ioloop/gen.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>

namespace typhoon::gen {

namespace asio = boost::asio;

awaitable<void> sleep(std::chrono::steady_clock::duration duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::use_awaitable);
}

awaitable<void> moment() { co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable); }

namespace detail {

awaitable<void> with_timeout(Deadline deadline, awaitable<void> operation) {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer timer(co_await asio::this_coro::executor, deadline.when());
    // `||` cancels whichever loses and waits for it to finish: nothing outlives this frame.
    const auto winner = co_await (std::move(operation) || timer.async_wait(asio::use_awaitable));
    if (winner.index() == 1) throw TimeoutError("Timeout");
}

awaitable<void> multi(std::vector<awaitable<void>> operations) {
    if (operations.empty()) co_return;
    auto executor = co_await asio::this_coro::executor;
    using Operation = decltype(asio::co_spawn(executor, std::move(operations.front()), asio::deferred));
    std::vector<Operation> spawned;
    spawned.reserve(operations.size());
    for (auto& operation : operations) spawned.push_back(asio::co_spawn(executor, std::move(operation), asio::deferred));
    auto [order, errors] = co_await asio::experimental::make_parallel_group(std::move(spawned))
                               .async_wait(asio::experimental::wait_for_one_error(), asio::use_awaitable);
    // The first failure in completion order is the cause; the others are its cancellations.
    for (const std::size_t index : order) {
        if (errors[index]) std::rethrow_exception(errors[index]);
    }
}

}  // namespace detail
}  // namespace typhoon::gen
