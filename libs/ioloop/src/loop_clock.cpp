#include <typhoon/ioloop/loop_clock.hpp>

#include <optional>

namespace typhoon::ioloop {

namespace {
thread_local std::optional<LoopClock::time_point> frozen_at;
}

LoopClock::time_point LoopClock::now() noexcept {
    return frozen_at ? *frozen_at : std::chrono::steady_clock::now();
}

void LoopClock::freeze() noexcept {
    frozen_at = std::chrono::steady_clock::now();
}

void LoopClock::advance(duration step) noexcept {
    if (frozen_at && step > duration::zero()) *frozen_at += step;
}

void LoopClock::thaw() noexcept {
    frozen_at.reset();
}

bool LoopClock::frozen() noexcept {
    return frozen_at.has_value();
}

}  // namespace typhoon::ioloop
