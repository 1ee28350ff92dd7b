#ifndef TYPHOON_IOLOOP_IOLOOP_HPP
#define TYPHOON_IOLOOP_IOLOOP_HPP

#include <typhoon/ioloop/timeout.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace boost::asio {
class io_context;
class thread_pool;
}  // namespace boost::asio

/// The event loop and its clock (tornado.ioloop): IOLoop, PeriodicCallback, LoopClock.
namespace typhoon::ioloop {

using boost::asio::awaitable;

namespace detail {
struct TimeoutState;

template <class T>
struct is_awaitable : std::false_type {};
template <class T, class Executor>
struct is_awaitable<boost::asio::awaitable<T, Executor>> : std::true_type {};

/// A std::function that also accepts move-only callables (std::move_only_function is C++23).
template <class Signature, class F>
std::function<Signature> make_function(F f) {
    if constexpr (std::is_copy_constructible_v<F>) {
        return std::function<Signature>(std::move(f));
    } else {
        return [shared = std::make_shared<F>(std::move(f))]() { return (*shared)(); };
    }
}

/// What a function run elsewhere produced, carried back to the coroutine that waits for it.
template <class T>
struct Outcome {
    std::optional<T> value;
    std::exception_ptr error;
    template <class F>
    void run(F& f) noexcept {
        try {
            value.emplace(f());
        } catch (...) {
            error = std::current_exception();
        }
    }
    T take() {
        if (error) std::rethrow_exception(error);
        return std::move(*value);
    }
};
template <>
struct Outcome<void> {
    std::exception_ptr error;
    template <class F>
    void run(F& f) noexcept {
        try {
            f();
        } catch (...) {
            error = std::current_exception();
        }
    }
    void take() {
        if (error) std::rethrow_exception(error);
    }
};

// The coroutine run_to_result() drives: `f()`'s result, if any, into `out`.
template <class T, class F>
awaitable<void> store_result(std::shared_ptr<Outcome<T>> out, F f) {
    out->value.emplace(co_await f());
}
template <class F>
awaitable<void> store_result(std::shared_ptr<Outcome<void>> out, F f) {
    (void)out;
    co_await f();
}

/// What IOLoop::run_sync and VirtualTime::run_sync share: `func()` (an awaitable<T>) wrapped as the
/// type-erased coroutine `run` drives to completion, then its result or exception.
template <class F, class Run>
auto run_to_result(F func, Run run) {
    using A = std::invoke_result_t<F&>;
    static_assert(is_awaitable<A>::value, "run_sync runs a function that returns awaitable<T>");
    using T = typename A::value_type;
    auto out = std::make_shared<Outcome<T>>();
    run([out, f = std::make_shared<F>(std::move(func))]() {
        return store_result(out, [f] { return (*f)(); });
    });
    return out->take();
}

template <class T>
awaitable<T> take_when_done(awaitable<void> done, std::shared_ptr<Outcome<T>> out) {
    co_await std::move(done);
    co_return out->take();
}
inline awaitable<void> take_when_done(awaitable<void> done, std::shared_ptr<Outcome<void>> out) {
    co_await std::move(done);
    out->take();
}
}  // namespace detail

/** A call scheduled with `call_later`/`call_at`; give it to `remove_timeout` to cancel the call.
    A default-constructed or spent handle is harmless to remove. */
class Timeout {
public:
    Timeout() = default;

private:
    friend class IOLoop;
    explicit Timeout(std::weak_ptr<detail::TimeoutState> state) : state_(std::move(state)) {}
    std::weak_ptr<detail::TimeoutState> state_;
};

/// How an IOLoop is made (the `make_current` argument of Tornado's IOLoop()).
struct IOLoopOptions {
    /// Become the calling thread's current loop, as `IOLoop()` does in Tornado 6.2.
    bool make_current = true;
};

/** An event loop: tornado.ioloop.IOLoop over a `boost::asio::io_context`. One loop per thread;
    `IOLoop::current()` is the calling thread's loop. Every member runs on the loop's thread except
    `add_callback`/`spawn_callback` (safe from any thread) and `stop`.

        IOLoop::current().run_sync([]() -> awaitable<void> { co_await gen::sleep(1s); });

    Callbacks are functions returning `void` or `awaitable<void>` (coroutines). An exception that
    escapes a callback is logged on `app_log` ("Exception in callback", with its type and message)
    and the loop carries on, as in Tornado. */
class IOLoop final {
public:
    ///@{
    /// The types of time() and call_at(): steady_clock's, which LoopClock shares (it only freezes
    /// it in tests).
    using clock = std::chrono::steady_clock;
    using duration = clock::duration;
    using time_point = clock::time_point;
    ///@}

    /// A loop that is not running yet; it becomes the thread's current loop unless
    /// `.make_current = false`.
    explicit IOLoop(IOLoopOptions options = {});
    /// Stops the default executor's threads, then drops every pending callback and coroutine.
    ~IOLoop();
    IOLoop(const IOLoop&) = delete;
    IOLoop& operator=(const IOLoop&) = delete;

    /// The calling thread's loop, created on first use (and owned by the thread) if there is none.
    static IOLoop& current();
    /// The calling thread's loop or nullptr; never creates one (Tornado's
    /// `current(instance=False)`).
    static IOLoop* current_or_null() noexcept;
    /// Makes this the calling thread's current loop. `start()` and `run_sync()` do so while they
    /// run.
    void make_current() noexcept;
    /// Leaves the calling thread without a current loop; the next current() makes a new one.
    static void clear_current() noexcept;

    /** Runs callbacks, timers and coroutines until `stop()`. Makes this loop current meanwhile.
        @throws typhoon::Error if the loop is already running or has been closed. */
    void start();
    /** Makes `start()` return once the callback that is running has finished; pending callbacks
        stay queued for the next `start()`. Safe from any thread. */
    void stop();
    /** Closes the loop: later callbacks are dropped, `start()` refuses to run, and the default
        executor's threads are joined. The loop must not be running. */
    void close();

    /** Starts the loop, runs the coroutine `func()`, stops the loop and returns its result; an
        exception from the coroutine is rethrown here.
        @throws gen::TimeoutError "Operation timed out after N seconds" when `timeout` passes first;
        the coroutine is then cancelled and finishes (by its cancellation) when the loop next runs.
        @throws typhoon::Error if the loop is running already, or `stop()` ended it early. */
    template <class F>
    auto run_sync(F func, std::optional<duration> timeout = std::nullopt);

    /** Calls `callback` on the next iteration of the loop. The one member that is safe to call from
        any thread; after `close()` it does nothing. A coroutine callback is spawned on the loop. */
    template <class F>
    void add_callback(F callback) {
        if constexpr (is_coroutine<F>()) {
            post_coroutine(detail::make_function<awaitable<void>()>(std::move(callback)));
        } else {
            post_callback(detail::make_function<void()>(std::move(callback)));
        }
    }
    /// Same as add_callback (as in Tornado 6): runs `callback`, usually a coroutine, on its own.
    template <class F>
    void spawn_callback(F callback) {
        add_callback(std::move(callback));
    }

    /// Calls `callback` once `delay` has passed.
    template <class F>
    Timeout call_later(duration delay, F callback) {
        return call_at(time() + delay, std::move(callback));
    }
    /// Calls `callback` at `when` on this loop's clock (see time()).
    template <class F>
    Timeout call_at(time_point when, F callback) {
        if constexpr (is_coroutine<F>()) {
            return schedule(when, [this, f = detail::make_function<awaitable<void>()>(
                                             std::move(callback))] { spawn_coroutine(f); });
        } else {
            return schedule(when, detail::make_function<void()>(std::move(callback)));
        }
    }
    /// Tornado's add_timeout: a deadline is an absolute time() or a duration from now.
    template <class F>
    Timeout add_timeout(gen::Deadline deadline, F callback) {
        return call_at(deadline.when(), std::move(callback));
    }
    /// Cancels a pending call. Removing one that has run or was removed already does nothing.
    void remove_timeout(const Timeout& timeout) noexcept;

    /// The loop's monotonic clock, the one call_at() and deadlines use (LoopClock: steady, or
    /// virtual in tests that freeze it).
    time_point time() const noexcept { return LoopClock::now(); }

    /** Runs the blocking `func()` on the default executor (a thread pool of 5 threads per core,
        made on first use) and resumes on the loop with its result or exception. Cancelling the
        waiting coroutine (e.g. by with_timeout) stops the wait, not `func`. */
    template <class F>
    auto run_in_executor(F func) -> awaitable<std::invoke_result_t<F&>> {
        return run_in_executor(default_executor(), std::move(func));
    }
    /// As above, on `executor`, which must outlive the call.
    template <class F>
    auto run_in_executor(boost::asio::thread_pool& executor, F func)
        -> awaitable<std::invoke_result_t<F&>> {
        auto out = std::make_shared<detail::Outcome<std::invoke_result_t<F&>>>();
        std::function<void()> work = [out, f = std::make_shared<F>(std::move(func))]() noexcept {
            out->run(*f);
        };
        return detail::take_when_done(run_in_executor_impl(executor, std::move(work)),
                                      std::move(out));
    }
    /// The executor run_in_executor uses by default. Its work must finish before this loop is
    /// destroyed (the loop joins a pool that only it still owns).
    void set_default_executor(std::shared_ptr<boost::asio::thread_pool> executor);

    /// The io_context under the loop, for Asio-level code (sockets, timers) in the layers above.
    boost::asio::io_context& context() noexcept;
    /// The executor of context(): pass it to Asio objects and `co_spawn` to run them on this loop.
    boost::asio::any_io_executor get_executor() noexcept;

private:
    template <class F>
    static constexpr bool is_coroutine() {
        using R = std::invoke_result_t<F&>;
        static_assert(std::is_void_v<R> || std::is_same_v<R, awaitable<void>>,
                      "a callback returns void or awaitable<void>");
        return detail::is_awaitable<R>::value;
    }
    void post_callback(std::function<void()> callback);
    void post_coroutine(std::function<awaitable<void>()> coroutine);
    void spawn_coroutine(std::function<awaitable<void>()> coroutine);
    Timeout schedule(time_point when, std::function<void()> callback);
    void run_sync_impl(std::function<awaitable<void>()> coroutine, std::optional<duration> timeout);
    awaitable<void> run_in_executor_impl(boost::asio::thread_pool& executor,
                                         std::function<void()> work);
    boost::asio::thread_pool& default_executor();

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

template <class F>
auto IOLoop::run_sync(F func, std::optional<duration> timeout) {
    return detail::run_to_result(std::move(func), [&](std::function<awaitable<void>()> coroutine) {
        run_sync_impl(std::move(coroutine), timeout);
    });
}

}  // namespace typhoon::ioloop

#endif
