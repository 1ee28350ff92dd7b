#ifndef TYPHOON_IOLOOP_TEST_COROUTINE_HELPERS_HPP
#define TYPHOON_IOLOOP_TEST_COROUTINE_HELPERS_HPP

#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/ioloop/virtual_time.hpp>

#include <chrono>
#include <functional>
#include <utility>

/// What the lock and queue tests share: a fresh loop per test and ways to interleave coroutines.
namespace ioloop_test_helpers {

using typhoon::ioloop::awaitable;
using typhoon::ioloop::IOLoop;

/// Runs `coroutine` on a new loop, made current, on virtual time: timeouts expire at once and
/// exactly when due, with no real waiting.
template <class F>
auto run(F coroutine) {
    IOLoop loop;
    typhoon::ioloop::VirtualTime clock(loop);
    return clock.run_sync(std::move(coroutine));
}

/// Starts `coroutine` on the current loop without waiting for it.
inline void spawn(std::function<awaitable<void>()> coroutine) {
    IOLoop::current().spawn_callback(std::move(coroutine));
}

/// Lets every coroutine that is ready run until it waits again.
inline awaitable<void> settle() {
    for (int i = 0; i < 5; ++i)
        co_await typhoon::gen::moment();
}

}  // namespace ioloop_test_helpers

#endif
