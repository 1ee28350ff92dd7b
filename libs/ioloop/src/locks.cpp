#include <typhoon/ioloop/condition.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/ioloop/lock.hpp>
#include <typhoon/ioloop/semaphore.hpp>

#include <typhoon/core/error.hpp>

namespace typhoon::locks {

using boost::asio::awaitable;

// Event

void Event::set() {
    if (value_) return;
    value_ = true;
    waiters_.notify_all();
}

awaitable<void> Event::wait(std::optional<gen::Deadline> timeout) {
    if (value_) co_return;
    const bool woken = co_await waiters_.wait(timeout);
    if (!woken) throw gen::TimeoutError("Timeout");
}

// Condition

awaitable<bool> Condition::wait(std::optional<gen::Deadline> timeout) {
    return waiters_.wait(timeout);
}

void Condition::notify(std::size_t n) {
    while (n > 0 && !waiters_.empty()) {
        waiters_.notify_one();
        --n;
    }
}

void Condition::notify_all() {
    waiters_.notify_all();
}

// Semaphore

Semaphore::Semaphore(int value) : value_(value) {
    if (value < 0) throw Error("semaphore initial value must be >= 0");
}

awaitable<void> Semaphore::acquire(std::optional<gen::Deadline> timeout) {
    if (value_ > 0) {
        --value_;
        co_return;
    }
    // release() hands its unit to us directly, so value_ is not touched on wake-up.
    const bool woken = co_await waiters_.wait(timeout);
    if (!woken) throw gen::TimeoutError("");  // no message, as in Tornado
}

awaitable<Releaser<Semaphore>> Semaphore::scoped_acquire(std::optional<gen::Deadline> timeout) {
    co_await acquire(timeout);
    co_return Releaser<Semaphore>(*this);
}

void Semaphore::release() {
    if (!waiters_.empty()) {
        waiters_.notify_one();
        return;
    }
    ++value_;
}

BoundedSemaphore::BoundedSemaphore(int value) : Semaphore(value), initial_value_(value) {}

void BoundedSemaphore::release() {
    if (value_ >= initial_value_) throw Error("Semaphore released too many times");
    Semaphore::release();
}

// Lock

awaitable<void> Lock::acquire(std::optional<gen::Deadline> timeout) {
    return block_.acquire(timeout);
}

awaitable<Releaser<Lock>> Lock::scoped_acquire(std::optional<gen::Deadline> timeout) {
    co_await block_.acquire(timeout);
    co_return Releaser<Lock>(*this);
}

void Lock::release() {
    try {
        block_.release();
    } catch (const Error&) {
        throw Error("release unlocked");
    }
}

}  // namespace typhoon::locks
