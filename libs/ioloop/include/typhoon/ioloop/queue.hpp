#ifndef TYPHOON_IOLOOP_QUEUE_HPP
#define TYPHOON_IOLOOP_QUEUE_HPP

#include <typhoon/core/error.hpp>
#include <typhoon/ioloop/detail/wait_list.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/ioloop/timeout.hpp>

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

/// Queues between coroutines of one loop (tornado.queues).
namespace typhoon::queues {

/// Raised by `put_nowait` on a full queue (tornado.queues.QueueFull).
struct QueueFull : Error {
    QueueFull() : Error("") {}  // Tornado raises it without a message
};
/// Raised by `get_nowait` on an empty queue (tornado.queues.QueueEmpty).
struct QueueEmpty : Error {
    QueueEmpty() : Error("") {}
};

/** A queue for coroutines on one loop (tornado.queues.Queue), first in first out. With a
    `maxsize`, `put()` waits while the queue is full, which is how a fast producer is slowed to its
    consumers' pace. Waiting producers and consumers are served in FIFO order; one that times out
    or is cancelled leaves nothing behind. Loop thread only.

        Queue<std::string> q{10};
        co_await q.put(url);               // waits while 10 items are queued
        auto next = co_await q.get();      // waits while the queue is empty
        q.task_done();                     // and `co_await q.join()` waits for every item

    Subclasses change the order by overriding push_item/pop_item/item_count (Tornado's _put/_get).
 */
template <class T>
class Queue {
public:
    /// `maxsize` 0 means unbounded.
    explicit Queue(std::size_t maxsize = 0) : maxsize_(maxsize) { finished_.set(); }
    virtual ~Queue() = default;
    Queue(const Queue&) = delete;
    Queue& operator=(const Queue&) = delete;

    /// The bound given to the constructor; 0 for an unbounded queue.
    std::size_t maxsize() const noexcept { return maxsize_; }
    /// Number of items queued.
    std::size_t qsize() const noexcept { return item_count(); }
    /// No item is queued (get_nowait() would throw QueueEmpty).
    bool empty() const noexcept { return item_count() == 0; }
    /// A bounded queue holds `maxsize` items (put_nowait() would throw QueueFull).
    bool full() const noexcept { return maxsize_ != 0 && item_count() >= maxsize_; }

    /** Puts `item`, first waiting for room.
        @throws gen::TimeoutError (no message, as Tornado) when `timeout` passes first; `item`
        is not queued. */
    boost::asio::awaitable<void> put(T item, std::optional<gen::Deadline> timeout = std::nullopt) {
        if (!getters_.empty() || !full()) {
            put_nowait(std::move(item));
            co_return;
        }
        // A consumer's get_nowait() moves the item out of this frame before resuming it.
        const bool woken = co_await putters_.wait(timeout, &item);
        if (!woken) throw gen::TimeoutError("");  // no message, as in Tornado
    }
    /// Puts `item` without waiting; a waiting consumer receives it at once. @throws QueueFull.
    void put_nowait(T item) {
        if (!getters_.empty()) {
            auto* slot = static_cast<std::optional<T>*>(getters_.notify_one());
            put_internal(std::move(item));
            slot->emplace(pop_item());
            return;
        }
        if (full()) throw QueueFull();
        put_internal(std::move(item));
    }

    /** Removes and returns the next item, first waiting for one.
        @throws gen::TimeoutError (no message, as Tornado) when `timeout` passes first. */
    boost::asio::awaitable<T> get(std::optional<gen::Deadline> timeout = std::nullopt) {
        if (!putters_.empty() || item_count() > 0) co_return get_nowait();
        std::optional<T> slot;  // a producer's put_nowait() fills it before resuming this frame
        const bool woken = co_await getters_.wait(timeout, &slot);
        if (!woken) throw gen::TimeoutError("");  // no message, as in Tornado
        co_return std::move(*slot);
    }
    /// Removes and returns the next item without waiting. @throws QueueEmpty.
    T get_nowait() {
        if (!putters_.empty()) {
            // Only a full queue has waiting producers: the oldest one's item takes the freed place.
            put_internal(std::move(*static_cast<T*>(putters_.notify_one())));
            return pop_item();
        }
        if (item_count() == 0) throw QueueEmpty();
        return pop_item();
    }

    /** Marks one item taken by get() as processed; join() returns when every item put has been.
        @throws typhoon::Error ("task_done() called too many times"). */
    void task_done() {
        if (unfinished_tasks_ == 0) throw Error("task_done() called too many times");
        if (--unfinished_tasks_ == 0) finished_.set();
    }
    /** Waits until every item put so far has been marked task_done().
        @throws gen::TimeoutError ("Timeout") when `timeout` passes first. */
    boost::asio::awaitable<void> join(std::optional<gen::Deadline> timeout = std::nullopt) {
        return finished_.wait(timeout);
    }

protected:
    /// Stores an item (Tornado's `_put`); the queue has checked there is room.
    virtual void push_item(T item) { items_.push_back(std::move(item)); }
    /// Removes and returns the item to hand out next (Tornado's `_get`); never called when empty.
    virtual T pop_item() {
        T item = std::move(items_.front());
        items_.pop_front();
        return item;
    }
    /// The number of items stored by push_item() and not yet popped.
    virtual std::size_t item_count() const noexcept { return items_.size(); }

private:
    void put_internal(T item) {
        ++unfinished_tasks_;
        finished_.clear();
        push_item(std::move(item));
    }

    std::size_t maxsize_;
    std::size_t unfinished_tasks_ = 0;
    std::deque<T> items_;
    ioloop::detail::WaitList getters_;
    ioloop::detail::WaitList putters_;
    locks::Event finished_;
};

/** A Queue that returns the smallest item first (tornado.queues.PriorityQueue), by `Compare`.
    Put `std::pair{priority, value}` to order by priority as Tornado's docs do with tuples. */
template <class T, class Compare = std::less<T>>
class PriorityQueue final : public Queue<T> {
public:
    /// `maxsize` 0 means unbounded; `compare(a, b)` is true when `a` comes out before `b`.
    explicit PriorityQueue(std::size_t maxsize = 0, Compare compare = Compare())
        : Queue<T>(maxsize), compare_(std::move(compare)) {}

protected:
    void push_item(T item) override {
        heap_.push_back(std::move(item));
        std::push_heap(heap_.begin(), heap_.end(), greater());
    }
    T pop_item() override {
        std::pop_heap(heap_.begin(), heap_.end(), greater());
        T item = std::move(heap_.back());
        heap_.pop_back();
        return item;
    }
    std::size_t item_count() const noexcept override { return heap_.size(); }

private:
    // std::push_heap builds a max-heap; inverting the comparison puts the smallest on top.
    auto greater() const {
        return [this](const T& a, const T& b) { return compare_(b, a); };
    }
    Compare compare_;
    std::vector<T> heap_;
};

/// A Queue that returns the most recently put item first (tornado.queues.LifoQueue).
template <class T>
class LifoQueue final : public Queue<T> {
public:
    using Queue<T>::Queue;

protected:
    void push_item(T item) override { stack_.push_back(std::move(item)); }
    T pop_item() override {
        T item = std::move(stack_.back());
        stack_.pop_back();
        return item;
    }
    std::size_t item_count() const noexcept override { return stack_.size(); }

private:
    std::vector<T> stack_;
};

}  // namespace typhoon::queues

#endif
