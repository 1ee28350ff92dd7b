#ifndef TYPHOON_IOLOOP_GEN_HPP
#define TYPHOON_IOLOOP_GEN_HPP

#include <typhoon/ioloop/timeout.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

/** Helpers for coroutines (tornado.gen): sleep, moment, with_timeout, multi. */
namespace typhoon::gen {

using boost::asio::awaitable;

/// Resumes after `duration` on the calling coroutine's loop (gen.sleep). Cancellable.
awaitable<void> sleep(std::chrono::steady_clock::duration duration);

/// Lets the loop run everything else that is ready before resuming (gen.moment).
awaitable<void> moment();

namespace detail {
awaitable<void> with_timeout(Deadline deadline, awaitable<void> operation);
awaitable<void> multi(std::vector<awaitable<void>> operations);

template <class T>
awaitable<void> store(awaitable<T> operation, std::optional<T>& out) {
    out.emplace(co_await std::move(operation));
}
}  // namespace detail

///@{
/** Awaits `operation`, giving up at `timeout` (gen.with_timeout).
    @throws TimeoutError ("Timeout") when the deadline passes first. Unlike Tornado, where the
    wrapped future keeps running, `operation` is cancelled (a C++ coroutine may not outlive the
    frame it borrows from); TimeoutError is raised once it has finished cancelling, which every
    Typhoon wait does at once. */
template <class T>
awaitable<T> with_timeout(Deadline timeout, awaitable<T> operation) {
    std::optional<T> out;
    co_await detail::with_timeout(timeout, detail::store(std::move(operation), out));
    co_return std::move(*out);
}
inline awaitable<void> with_timeout(Deadline timeout, awaitable<void> operation) {
    return detail::with_timeout(timeout, std::move(operation));
}
///@}

/** Runs `operations` concurrently on the calling loop and returns their results in the order
    given (gen.multi). The first exception propagates; the operations still running are then
    cancelled, and multi waits for them to finish before rethrowing. */
template <class T>
awaitable<std::vector<T>> multi(std::vector<awaitable<T>> operations) {
    std::vector<std::optional<T>> slots(operations.size());
    std::vector<awaitable<void>> stored;
    stored.reserve(operations.size());
    for (std::size_t i = 0; i < operations.size(); ++i)
        stored.push_back(detail::store(std::move(operations[i]), slots[i]));
    co_await detail::multi(std::move(stored));
    std::vector<T> results;
    results.reserve(slots.size());
    for (auto& slot : slots)
        results.push_back(std::move(*slot));
    co_return results;
}
/// multi() of operations that return nothing.
inline awaitable<void> multi(std::vector<awaitable<void>> operations) {
    return detail::multi(std::move(operations));
}

/// multi() of operations of different types: `auto [a, b] = co_await multi(fetch(x), count(y));`
template <class... T>
    requires(sizeof...(T) > 1 && (!std::is_void_v<T> && ...))
awaitable<std::tuple<T...>> multi(awaitable<T>... operations) {
    std::tuple<std::optional<T>...> slots;
    co_await std::apply(
        [&](auto&... slot) {
            std::vector<awaitable<void>> stored;
            (stored.push_back(detail::store(std::move(operations), slot)), ...);
            return detail::multi(std::move(stored));
        },
        slots);
    co_return std::apply([](auto&... slot) { return std::tuple<T...>(std::move(*slot)...); },
                         slots);
}

}  // namespace typhoon::gen

#endif
