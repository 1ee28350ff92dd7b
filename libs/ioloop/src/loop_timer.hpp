#ifndef TYPHOON_IOLOOP_SRC_LOOP_TIMER_HPP
#define TYPHOON_IOLOOP_SRC_LOOP_TIMER_HPP

#include <typhoon/ioloop/loop_clock.hpp>

#include <boost/asio/basic_waitable_timer.hpp>

#include <memory>
#include <optional>
#include <set>
#include <utility>

namespace typhoon::ioloop::detail {

/// When the timers made while the thread's clock is frozen fall due: VirtualTime moves the clock
/// from one to the next. Asio keeps its own timer queue to itself, hence this list.
using PendingTimers = std::multiset<LoopClock::time_point>;

/// The calling thread's list while its LoopClock is frozen, else null. Shared: a timer that
/// outlives the freeze still removes itself from the list it joined.
std::shared_ptr<PendingTimers> pending_timers() noexcept;

/** The timer of sleeps, call_at() and timeouts: on LoopClock, so virtual time moves it. Its
    expiry is set once, at construction (which is when it joins the pending list). */
class LoopTimer : public boost::asio::basic_waitable_timer<LoopClock> {
public:
    template <class ExecutorOrContext>
    LoopTimer(ExecutorOrContext&& where, LoopClock::time_point when)
        : basic_waitable_timer(std::forward<ExecutorOrContext>(where), when) {
        note();
    }
    template <class ExecutorOrContext>
    LoopTimer(ExecutorOrContext&& where, LoopClock::duration delay)
        : basic_waitable_timer(std::forward<ExecutorOrContext>(where), delay) {
        note();
    }
    ~LoopTimer() {
        if (list_) list_->erase(*entry_);
    }
    LoopTimer(const LoopTimer&) = delete;
    LoopTimer& operator=(const LoopTimer&) = delete;

private:
    void note() {
        list_ = pending_timers();
        if (list_) entry_ = list_->insert(expiry());
    }

    std::shared_ptr<PendingTimers> list_;
    std::optional<PendingTimers::iterator> entry_;
};

}  // namespace typhoon::ioloop::detail

#endif
