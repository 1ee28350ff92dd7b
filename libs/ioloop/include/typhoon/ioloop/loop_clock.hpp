#ifndef TYPHOON_IOLOOP_LOOP_CLOCK_HPP
#define TYPHOON_IOLOOP_LOOP_CLOCK_HPP

#include <chrono>

namespace typhoon::ioloop {

/** The clock of IOLoop::time(), call_later(), gen::sleep(), Deadline and every timeout of this
    library: std::chrono::steady_clock, unless the calling thread has frozen it.

    Frozen, it is virtual time, which Tornado does not have: it stands still until advance()
    moves it, so a test of "retry after 30 seconds" takes no time and always sees the same
    order of events. ioloop::VirtualTime (virtual_time.hpp) freezes it and drives a loop on it;
    the testing library's AsyncTestCase uses that with `.virtual_time`. Only the thread that
    froze it sees it frozen (one loop per thread); network timeouts of sockets (header_timeout
    and the like) keep real time. */
struct LoopClock {
    ///@{
    /// The members of a standard Clock, those of steady_clock: its time points mix with
    /// IOLoop::time_point and the deadlines of Asio's steady timers.
    using duration = std::chrono::steady_clock::duration;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::steady_clock::time_point;
    static constexpr bool is_steady = true;
    ///@}

    /// steady_clock::now(), or the frozen time on a thread that called freeze().
    static time_point now() noexcept;

    /// Stops this thread's clock at the present.
    static void freeze() noexcept;
    /// Moves this thread's frozen clock forward (a negative step is ignored).
    static void advance(duration step) noexcept;
    /// Back to real time.
    static void thaw() noexcept;
    /// Whether this thread's clock is frozen.
    static bool frozen() noexcept;
};

}  // namespace typhoon::ioloop

#endif
