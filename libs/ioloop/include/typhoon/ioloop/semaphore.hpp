#ifndef TYPHOON_IOLOOP_SEMAPHORE_HPP
#define TYPHOON_IOLOOP_SEMAPHORE_HPP

#include <typhoon/ioloop/detail/wait_list.hpp>
#include <typhoon/ioloop/timeout.hpp>

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <utility>

namespace typhoon::locks {

/** Releases what it holds when it goes out of scope: the C++ spelling of `async with sem:`.
        auto held = co_await sem.scoped_acquire();   // released at the end of the block */
template <class Lockable>
class [[nodiscard]] Releaser {
public:
    /// Takes over one unit that the caller has already acquired from `lockable`.
    explicit Releaser(Lockable& lockable) noexcept : lockable_(&lockable) {}
    /// Moves the duty to release: `other` then releases nothing.
    Releaser(Releaser&& other) noexcept : lockable_(std::exchange(other.lockable_, nullptr)) {}
    Releaser& operator=(Releaser&&) = delete;
    ~Releaser() {
        if (lockable_) lockable_->release();
    }

private:
    Lockable* lockable_;
};

/** A counter that `acquire()` decrements, waiting while it is zero, and `release()` increments
    (tornado.locks.Semaphore). Waiters acquire in FIFO order: a release hands the unit straight to
    the oldest waiter, so a newcomer cannot overtake it. Loop thread only. */
class Semaphore {
public:
    /// @throws typhoon::Error if `value` is negative ("semaphore initial value must be >= 0").
    explicit Semaphore(int value = 1);
    virtual ~Semaphore() = default;
    Semaphore(const Semaphore&) = delete;
    Semaphore& operator=(const Semaphore&) = delete;

    /// The current counter (Tornado's `_value`); 0 while anyone waits.
    int value() const noexcept { return value_; }
    /** Decrements the counter, first waiting for it to be positive.
        @throws gen::TimeoutError (no message, as in Tornado) when `timeout` passes first; the
        waiter is removed. */
    boost::asio::awaitable<void> acquire(std::optional<gen::Deadline> timeout = std::nullopt);
    /// acquire(), and a Releaser that calls release() when it goes out of scope.
    boost::asio::awaitable<Releaser<Semaphore>> scoped_acquire(
        std::optional<gen::Deadline> timeout = std::nullopt);
    /// Increments the counter and wakes the oldest waiter.
    virtual void release();

protected:
    /// The counter that value() reports, for subclasses that check it on release().
    int value_;

private:
    ioloop::detail::WaitList waiters_;
};

/** A Semaphore that refuses to be released above its initial value
   (tornado.locks.BoundedSemaphore), which catches a release() too many. */
class BoundedSemaphore final : public Semaphore {
public:
    /// `value` is both the initial counter and its ceiling.
    /// @throws typhoon::Error if `value` is negative, as Semaphore's constructor does.
    explicit BoundedSemaphore(int value = 1);
    /// @throws typhoon::Error ("Semaphore released too many times") above the initial value.
    void release() override;

private:
    int initial_value_;
};

}  // namespace typhoon::locks

#endif
