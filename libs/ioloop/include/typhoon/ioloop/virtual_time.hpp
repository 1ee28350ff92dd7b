#ifndef TYPHOON_IOLOOP_VIRTUAL_TIME_HPP
#define TYPHOON_IOLOOP_VIRTUAL_TIME_HPP

#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/ioloop/loop_clock.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace typhoon::ioloop {

/** Runs a loop on virtual time, for tests of code that waits (Tornado has nothing like it).
    While it lives, the calling thread's LoopClock stands still: call_later(), call_at(),
    PeriodicCallback, gen::sleep() and every timeout of this library wait until advance() or
    run_sync() moves the clock, so "retry after 30 seconds" is tested in no time and always in
    the same order.

        IOLoop loop;
        VirtualTime clock(loop);
        bool retried = false;
        loop.call_later(30s, [&] { retried = true; });
        clock.advance(29s);  // retried is still false
        clock.advance(1s);   // now it is true

    advance() stops the clock at each timer that falls due on the way, in order, so a callback
    sees time() at its own deadline and what it schedules from there is due at the right time
    (a 5 s PeriodicCallback runs four times in advance(20s)). Timers of sockets (header_timeout
    and the like) and IOLoop::run_sync()'s own timeout keep real time; IOLoop::start() and
    run_sync() do not move the clock, use this class's run_sync() instead.

    One per thread at a time (the clock is the thread's). Destroy it after the loop's timers
    have been dealt with, or with the loop: a timer left pending was set on virtual time. */
class VirtualTime {
public:
    /// The loop clock's duration: steps of advance() and timeouts of run_sync().
    using duration = LoopClock::duration;

    /** Freezes the calling thread's LoopClock at the present, for `loop` (the thread's loop).
        @throws typhoon::Error if the thread's clock is frozen already. */
    explicit VirtualTime(IOLoop& loop);
    /// Back to real time.
    ~VirtualTime();
    VirtualTime(const VirtualTime&) = delete;
    VirtualTime& operator=(const VirtualTime&) = delete;

    /** Runs what is ready now, then moves the clock forward by `step`, running every callback,
        timer and coroutine that falls due on the way, in order of time. A negative step only
        runs what is ready. Exceptions that escape callbacks are logged, as on a running loop. */
    void advance(duration step);

    /** Runs the coroutine `func()` to completion and returns its result (throws what it throws),
        jumping the clock to the next timer whenever nothing else is ready, so that a coroutine
        that sleeps an hour returns at once with time() an hour later (Trio's autojump). When
        nothing is ready and no timer is pending, the loop waits in real time for sockets and
        other threads.
        Work on other threads does not hold the clock: a timeout on run_in_executor() expires
        as soon as the loop is idle.
        @throws gen::TimeoutError when `real_timeout` of real time passes first; the coroutine is
        then cancelled. */
    template <class F>
    auto run_sync(F func, duration real_timeout = std::chrono::seconds(30));

    /// How far the clock has been moved since construction.
    duration elapsed() const noexcept { return LoopClock::now() - start_; }

private:
    void run_ready();
    void move_to(LoopClock::time_point when);
    void run_sync_impl(std::function<awaitable<void>()> coroutine, duration real_timeout);

    IOLoop& loop_;
    LoopClock::time_point start_;
};

template <class F>
auto VirtualTime::run_sync(F func, duration real_timeout) {
    return detail::run_to_result(std::move(func), [&](std::function<awaitable<void>()> coroutine) {
        run_sync_impl(std::move(coroutine), real_timeout);
    });
}

}  // namespace typhoon::ioloop

#endif
