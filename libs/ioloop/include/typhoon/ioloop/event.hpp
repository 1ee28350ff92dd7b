#ifndef TYPHOON_IOLOOP_EVENT_HPP
#define TYPHOON_IOLOOP_EVENT_HPP

#include <typhoon/ioloop/detail/wait_list.hpp>
#include <typhoon/ioloop/timeout.hpp>

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace typhoon::locks {

/** A flag coroutines can wait for (tornado.locks.Event): `wait()` returns once `set()` is called,
    at once if it is set already. Loop thread only. */
class Event final {
public:
    Event() = default;

    /// Whether set() was called since construction or the last clear().
    bool is_set() const noexcept { return value_; }
    /// Sets the flag and wakes every waiter, oldest first.
    void set();
    /// Resets the flag; later `wait()`s block again. Waiters already woken still return.
    void clear() noexcept { value_ = false; }
    /** Waits until the flag is set.
        @throws gen::TimeoutError ("Timeout") when `timeout` passes first; the waiter is removed. */
    boost::asio::awaitable<void> wait(std::optional<gen::Deadline> timeout = std::nullopt);

private:
    bool value_ = false;
    ioloop::detail::WaitList waiters_;
};

}  // namespace typhoon::locks

#endif
