#ifndef TYPHOON_IOLOOP_TIMEOUT_HPP
#define TYPHOON_IOLOOP_TIMEOUT_HPP

#include <typhoon/core/error.hpp>
#include <typhoon/ioloop/loop_clock.hpp>

#include <chrono>

namespace typhoon::gen {

/** Raised when a wait gives up: `with_timeout`, `IOLoop::run_sync`, `Event::wait`, `Lock`,
    `Semaphore` and `Queue` waits with a timeout (tornado.util.TimeoutError, alias
   gen.TimeoutError). */
struct TimeoutError : Error {
    using Error::Error;
};

/** When a wait gives up, on the loop's monotonic clock. Tornado accepts a deadline (an
    `IOLoop.time()` value) or a `timedelta`; so does this: pass `loop.time() + 2s` or just `2s`.
    A duration is measured from the moment the Deadline is made. */
class Deadline {
public:
    /// The loop's clock (see LoopClock).
    using clock = std::chrono::steady_clock;

    /// An absolute deadline: an IOLoop::time() value such as `loop.time() + 2s`.
    Deadline(clock::time_point when) noexcept : when_(when) {}  // NOLINT: implicit on purpose
    /// A relative deadline, `delay` from now on the loop's clock (a frozen clock's now in tests).
    template <class Rep, class Period>
    Deadline(std::chrono::duration<Rep, Period> delay) noexcept  // NOLINT: implicit on purpose
        : when_(ioloop::LoopClock::now() + std::chrono::duration_cast<clock::duration>(delay)) {}

    /// The absolute time at which the wait gives up.
    clock::time_point when() const noexcept { return when_; }

private:
    clock::time_point when_;
};

}  // namespace typhoon::gen

#endif
