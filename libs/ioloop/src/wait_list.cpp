#include <typhoon/ioloop/detail/wait_list.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "loop_timer.hpp"

namespace typhoon::ioloop::detail {

namespace asio = boost::asio;
using boost::system::error_code;

struct WaitList::Node {
    WaitList* owner = nullptr;  // null once the node has left its list
    void* payload = nullptr;
    std::list<std::shared_ptr<Node>>::iterator position;
    std::optional<asio::any_completion_handler<void(error_code, bool)>> handler;
    asio::cancellation_slot slot;
    std::optional<LoopTimer> timer;
    asio::any_io_executor executor;  // the waiting coroutine's loop
};

WaitList::~WaitList() {
    for (auto& node : nodes_)
        node->owner = nullptr;
}

asio::awaitable<bool> WaitList::wait(std::optional<gen::Deadline> deadline, void* payload) {
    auto executor = co_await asio::this_coro::executor;
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(error_code, bool)>(
        [&](auto handler) {
            auto node = std::make_shared<Node>();
            node->owner = this;
            node->payload = payload;
            node->executor = executor;
            node->handler.emplace(std::move(handler));
            // any_completion_handler forwards the caller's cancellation to a slot of its own.
            node->slot = node->handler->get_cancellation_slot();
            node->position = nodes_.insert(nodes_.end(), node);
            if (deadline) {
                node->timer.emplace(executor, deadline->when());
                node->timer->async_wait([weak = std::weak_ptr<Node>(node)](error_code ec) {
                    if (ec) return;
                    if (auto expired = weak.lock(); expired && expired->owner)
                        expired->owner->finish(*expired, false, false);
                });
            }
            if (node->slot.is_connected()) {
                node->slot.assign([raw = node.get()](asio::cancellation_type) {
                    if (raw->owner) raw->owner->finish(*raw, false, true);
                });
            }
        },
        asio::use_awaitable);
}

void* WaitList::notify_one() {
    Node& node = *nodes_.front();
    void* payload = node.payload;
    finish(node, true, false);
    return payload;
}

void WaitList::notify_all() {
    while (!nodes_.empty())
        finish(*nodes_.front(), true, false);
}

void WaitList::finish(Node& node, bool notified, bool from_cancellation) {
    const std::shared_ptr<Node> keep = *node.position;  // erasing below may drop the last owner
    nodes_.erase(node.position);
    node.owner = nullptr;
    // A cancellation handler must not clear its own slot while it runs.
    if (!from_cancellation && node.slot.is_connected()) node.slot.clear();
    if (node.timer) node.timer->cancel();
    auto handler = std::move(*node.handler);
    node.handler.reset();
    const error_code ec =
        from_cancellation ? error_code(asio::error::operation_aborted) : error_code();
    // Resume on a later iteration, never inside notify(): the notifier finishes first, and
    // waiters woken together resume in FIFO order.
    asio::post(node.executor, [handler = std::move(handler), ec, notified]() mutable {
        std::move(handler)(ec, notified);
    });
}

}  // namespace typhoon::ioloop::detail
