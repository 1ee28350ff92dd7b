#ifndef TYPHOON_IOLOOP_DETAIL_WAIT_LIST_HPP
#define TYPHOON_IOLOOP_DETAIL_WAIT_LIST_HPP

#include <typhoon/ioloop/timeout.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <list>
#include <memory>
#include <optional>

namespace typhoon::ioloop::detail {

/** The FIFO of suspended coroutines under every lock and queue (Tornado keeps a deque of Futures).
    A waiter leaves the list when it is notified, when its deadline passes, or when its coroutine is
    cancelled, so nothing is left behind. Single-threaded: use it on its loop's thread only. */
class WaitList {
public:
    WaitList() = default;
    /// Waiters still suspended are detached: only their deadline or cancellation can end them.
    ~WaitList();
    WaitList(const WaitList&) = delete;
    WaitList& operator=(const WaitList&) = delete;

    /** Suspends the calling coroutine at the back of the list. Returns true when notified, false
        when `deadline` passes first. `payload` is handed to whoever notifies this waiter.
        @throws boost::system::system_error (operation_aborted) when the coroutine is cancelled. */
    boost::asio::awaitable<bool> wait(std::optional<gen::Deadline> deadline = std::nullopt,
                                      void* payload = nullptr);

    bool empty() const noexcept { return nodes_.empty(); }
    std::size_t size() const noexcept { return nodes_.size(); }
    /// Wakes the oldest waiter (it resumes on a later iteration) and returns its payload.
    /// Precondition: !empty().
    void* notify_one();
    void notify_all();

private:
    struct Node;
    void finish(Node& node, bool notified, bool from_cancellation);
    std::list<std::shared_ptr<Node>> nodes_;
};

}  // namespace typhoon::ioloop::detail

#endif
