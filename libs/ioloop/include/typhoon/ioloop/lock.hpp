#ifndef TYPHOON_IOLOOP_LOCK_HPP
#define TYPHOON_IOLOOP_LOCK_HPP

#include <typhoon/ioloop/semaphore.hpp>
#include <typhoon/ioloop/timeout.hpp>

#include <boost/asio/awaitable.hpp>

#include <optional>

/// Synchronisation between coroutines of one loop (tornado.locks): Event, Condition, Lock,
/// Semaphore, BoundedSemaphore.
namespace typhoon::locks {

/** A lock for coroutines (tornado.locks.Lock): at most one holder, others wait in FIFO order. It is
    not re-entrant: a holder that acquires again waits for itself. Loop thread only.

        auto held = co_await lock.scoped_acquire();  // Tornado: async with lock: */
class Lock final {
public:
    Lock() = default;

    /// Whether some coroutine holds the lock.
    bool locked() const noexcept { return block_.value() == 0; }
    /// Waits until the lock is free and takes it.
    /// @throws gen::TimeoutError (no message, as in Tornado) when `timeout` passes first; the
    /// waiter is removed.
    boost::asio::awaitable<void> acquire(std::optional<gen::Deadline> timeout = std::nullopt);
    /// acquire() and a Releaser that releases at the end of the scope (`async with lock:`).
    /// @throws gen::TimeoutError as acquire() does.
    boost::asio::awaitable<Releaser<Lock>> scoped_acquire(
        std::optional<gen::Deadline> timeout = std::nullopt);
    /// Unlocks; the oldest waiter gets the lock next. @throws typhoon::Error ("release unlocked").
    void release();

private:
    BoundedSemaphore block_{1};
};

}  // namespace typhoon::locks

#endif
