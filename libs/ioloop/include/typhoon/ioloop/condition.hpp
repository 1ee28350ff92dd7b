#ifndef TYPHOON_IOLOOP_CONDITION_HPP
#define TYPHOON_IOLOOP_CONDITION_HPP

#include <typhoon/ioloop/detail/wait_list.hpp>
#include <typhoon/ioloop/timeout.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <optional>

namespace typhoon::locks {

/** Lets coroutines wait until another one notifies them (tornado.locks.Condition). Unlike a
    threading condition there is no lock to hold: everything runs on one loop. Waiters wake in the
    order they started waiting. Loop thread only. */
class Condition final {
public:
    Condition() = default;

    /// Waits for a notification: true when notified, false when `timeout` passed first.
    boost::asio::awaitable<bool> wait(std::optional<gen::Deadline> timeout = std::nullopt);
    /// Wakes the `n` oldest waiters (fewer if fewer wait).
    void notify(std::size_t n = 1);
    /// Wakes every waiter, oldest first.
    void notify_all();

private:
    ioloop::detail::WaitList waiters_;
};

}  // namespace typhoon::locks

#endif
