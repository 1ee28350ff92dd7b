#include <typhoon/ioloop/virtual_time.hpp>

#include <typhoon/core/error.hpp>
#include <typhoon/ioloop/gen.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "loop_timer.hpp"

#include <sstream>

namespace typhoon::ioloop {

namespace asio = boost::asio;

namespace {

/// The first pending timer after `now`, if any. Timers at or before `now` have fired already
/// (or fire at the next look at the queue); a cancelled one may linger, which costs one step.
std::optional<LoopClock::time_point> next_timer_after(LoopClock::time_point now) {
    const auto timers = detail::pending_timers();
    if (!timers) return std::nullopt;
    const auto next = timers->upper_bound(now);
    if (next == timers->end()) return std::nullopt;
    return *next;
}

}  // namespace

VirtualTime::VirtualTime(IOLoop& loop) : loop_(loop) {
    if (LoopClock::frozen()) throw Error("This thread's LoopClock is frozen already");
    LoopClock::freeze();
    start_ = LoopClock::now();
}

VirtualTime::~VirtualTime() {
    LoopClock::thaw();
}

void VirtualTime::run_ready() {
    auto& context = loop_.context();
    context.restart();
    context.poll();
}

void VirtualTime::move_to(LoopClock::time_point when) {
    LoopClock::advance(when - LoopClock::now());
    // The reactor armed its kernel timer for real durations. A timer earlier than every other
    // (the clock's epoch) makes it re-arm at once and then look at its queue, where everything at
    // or before the new time is due; poll() then runs what those timers woke.
    auto& context = loop_.context();
    context.restart();
    bool looked = false;
    asio::basic_waitable_timer<LoopClock> wake(context, LoopClock::time_point{});
    wake.async_wait([&looked](boost::system::error_code) { looked = true; });
    while (!looked) {
        if (context.stopped()) context.restart();  // a callback called IOLoop::stop()
        context.run_one();
    }
    run_ready();
}

void VirtualTime::advance(duration step) {
    // What is ready now runs at the present time (a coroutine just spawned starts its sleep here).
    run_ready();
    if (step <= duration::zero()) return;
    const auto end = LoopClock::now() + step;
    while (const auto next = next_timer_after(LoopClock::now())) {
        if (*next > end) break;
        move_to(*next);
    }
    move_to(end);
}

void VirtualTime::run_sync_impl(std::function<awaitable<void>()> coroutine, duration real_timeout) {
    struct State {
        bool done = false;
        std::exception_ptr error;
        asio::cancellation_signal cancel;
    };
    auto state = std::make_shared<State>();
    auto& context = loop_.context();
    loop_.make_current();
    asio::co_spawn(
        context, std::move(coroutine),
        asio::bind_cancellation_slot(state->cancel.slot(), [state](std::exception_ptr error) {
            state->done = true;
            state->error = error;
        }));
    const auto give_up = std::chrono::steady_clock::now() + real_timeout;
    run_ready();
    while (!state->done) {
        if (const auto next = next_timer_after(LoopClock::now())) {
            move_to(*next);
            continue;
        }
        // Nothing ready and no timer: only a socket or another thread can move things on.
        context.restart();
        const auto work = asio::make_work_guard(context);
        if (context.run_one_until(give_up) == 0 && std::chrono::steady_clock::now() >= give_up) {
            state->cancel.emit(asio::cancellation_type::terminal);
            run_ready();
            std::ostringstream seconds;
            seconds << std::chrono::duration<double>(real_timeout).count();
            throw gen::TimeoutError("Operation timed out after " + seconds.str() + " seconds");
        }
        run_ready();
    }
    if (state->error) std::rethrow_exception(state->error);
}

}  // namespace typhoon::ioloop
