#include <typhoon/ioloop/loop_clock.hpp>

#include "loop_timer.hpp"

#include <optional>

namespace typhoon::ioloop {

namespace {
thread_local std::optional<LoopClock::time_point> frozen_at;
thread_local std::shared_ptr<detail::PendingTimers> frozen_timers;
}  // namespace

LoopClock::time_point LoopClock::now() noexcept {
    return frozen_at ? *frozen_at : std::chrono::steady_clock::now();
}

void LoopClock::freeze() noexcept {
    frozen_at = std::chrono::steady_clock::now();
    if (!frozen_timers) frozen_timers = std::make_shared<detail::PendingTimers>();
}

void LoopClock::advance(duration step) noexcept {
    if (frozen_at && step > duration::zero()) *frozen_at += step;
}

void LoopClock::thaw() noexcept {
    frozen_at.reset();
    frozen_timers.reset();
}

bool LoopClock::frozen() noexcept {
    return frozen_at.has_value();
}

std::shared_ptr<detail::PendingTimers> detail::pending_timers() noexcept {
    return frozen_timers;
}

}  // namespace typhoon::ioloop
