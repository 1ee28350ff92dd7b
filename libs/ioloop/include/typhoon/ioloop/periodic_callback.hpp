#ifndef TYPHOON_IOLOOP_PERIODIC_CALLBACK_HPP
#define TYPHOON_IOLOOP_PERIODIC_CALLBACK_HPP

#include <typhoon/ioloop/ioloop.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <utility>

namespace typhoon::ioloop {

/** Calls `callback` every `callback_time` on the current loop (tornado.ioloop.PeriodicCallback).
    The period runs from the start of one call to the start of the next; a call that overruns
    skips the runs it missed rather than firing them in a burst, and the schedule stays on its
    grid, so no drift accumulates. `jitter` (0.1 = ±5 %) spreads each interval at random so that
    many callbacks started together do not fire together. A coroutine callback is awaited before
    the next run is scheduled. An exception from the callback is logged on app_log; runs go on.

        PeriodicCallback heartbeat([&] { send_ping(); }, 15s);
        heartbeat.start();   // on the loop that is current now */
class PeriodicCallback final {
public:
    /// The loop's clock (see LoopClock): periods and run times are on it.
    using clock = std::chrono::steady_clock;

    /// `callback` returns void or awaitable<void>.
    /// @throws typhoon::Error if `callback_time` is not positive.
    template <class F>
    PeriodicCallback(F callback, clock::duration callback_time, double jitter = 0)
        : PeriodicCallback(wrap(std::move(callback)), callback_time, jitter) {}
    /// Stops the callback.
    ~PeriodicCallback();
    PeriodicCallback(const PeriodicCallback&) = delete;
    PeriodicCallback& operator=(const PeriodicCallback&) = delete;

    /// Starts calling on `IOLoop::current()`, first one `callback_time` from now.
    void start();
    /// Stops; a coroutine callback that is running finishes but is not called again.
    void stop();
    /// Between start() and stop().
    bool is_running() const noexcept;

    /** The schedule rule: the run after the one due at `scheduled`, when a run starts at `now`.
        If `now` has reached `scheduled`, the next grid point after `now` (missed runs skipped);
        otherwise (the clock went back) one interval after `scheduled`. With `jitter`, the interval
        is scaled by `1 + jitter * (random - 0.5)`, `random` being uniform in [0, 1). */
    static clock::time_point next_run_time(clock::time_point scheduled, clock::time_point now,
                                           clock::duration interval, double jitter = 0,
                                           double random = 0.5);

private:
    struct Callbacks {
        std::function<void()> plain;
        std::function<awaitable<void>()> coroutine;
    };
    template <class F>
    static Callbacks wrap(F callback) {
        if constexpr (detail::is_awaitable<std::invoke_result_t<F&>>::value) {
            return {{}, detail::make_function<awaitable<void>()>(std::move(callback))};
        } else {
            return {detail::make_function<void()>(std::move(callback)), {}};
        }
    }
    PeriodicCallback(Callbacks callbacks, clock::duration callback_time, double jitter);

    struct State;
    std::shared_ptr<State> state_;  // shared with the scheduled call, which may outlive *this
};

}  // namespace typhoon::ioloop

#endif
