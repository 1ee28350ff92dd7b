#include "protocol.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/core/utf8.hpp>
#include <typhoon/web/request_handler.hpp>
#include <typhoon/websocket/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>
#include <tuple>

namespace typhoon::websocket::detail {

namespace asio = boost::asio;
using namespace std::chrono_literals;

WebSocketProtocol::WebSocketProtocol(std::unique_ptr<Transport> transport, WriteLimits limits)
    : transport_(std::move(transport)), limits_(limits) {}

WebSocketProtocol::~WebSocketProtocol() = default;

namespace {

// Whether `text`, valid UTF-8 but for a last character that may be cut short, ends on a whole
// character: the last character, from its lead byte on, is valid UTF-8 by itself.
bool ends_on_whole_character(std::string_view text) {
    std::size_t start = text.size();
    while (start > 0 && text.size() - start < 4 &&
           (static_cast<unsigned char>(text[start - 1]) & 0xC0) == 0x80)
        --start;
    if (start > 0) --start;  // the lead byte
    return escape::is_valid_utf8(text.substr(start));
}

}  // namespace

awaitable<std::optional<Message>> WebSocketProtocol::read_message() {
    if (closed_) co_return std::nullopt;
    auto [ec, n] = co_await transport_->read();
    while (!ec && !transport_->message_done())
        std::tie(ec, n) = co_await transport_->read();
    if (ec) {
        finish();
        co_return std::nullopt;
    }
    Message message = transport_->take_message();
    if (deliverable(message)) co_return message;
    co_await fail(1007);
    co_return std::nullopt;
}

// Beast (Boost 1.81) checks each frame's bytes as they come, but that a text message ends on a
// whole character only when its last frame carries payload: an empty last frame after a cut one
// would pass.
bool WebSocketProtocol::deliverable(const Message& message) {
    return message.binary || ends_on_whole_character(message.data);
}

awaitable<void> WebSocketProtocol::fail(int code) {
    const auto self = shared_from_this();
    if (!is_closing()) {
        close_started_ = true;
        abandon_writes();
        arm_close_timer();
        co_await transport_->close(code, {});
    }
    finish();
}

std::optional<int> WebSocketProtocol::close_code() const {
    if (!closed_) return std::nullopt;
    const int code = transport_->peer_close().first;
    return code != 0 ? std::optional<int>(code) : std::nullopt;
}

std::optional<std::string> WebSocketProtocol::close_reason() const {
    if (!closed_) return std::nullopt;
    auto [code, reason] = transport_->peer_close();
    if (code == 0 && reason.empty()) return std::nullopt;
    return std::move(reason);
}

void WebSocketProtocol::finish() {
    // The peer's close frame, whichever operation read it (the read, or after close() Beast's
    // close operation, which then ends the read with operation_aborted), stays in the transport:
    // close_code() and close_reason() read it there rather than each connection keeping a copy.
    closed_ = true;
    if (ping_timer_) ping_timer_->cancel();
    if (close_timer_) close_timer_->cancel();
    if (write_timer_) write_timer_->cancel();
    transport_->on_control({});
    abort();
}

std::uint64_t WebSocketProtocol::enqueue(Frame frame) {
    if (closed_ || (close_started_ && frame.kind != Kind::close)) return 0;
    const std::size_t size = frame.data.size();
    // An idle connection takes any one frame: the limit is on what piles up behind a peer that
    // does not read, not on the size of a message (max_message_size bounds that on its side).
    if (limits_.max_outbound_bytes != 0 && queued_bytes_ != 0 && frame.kind != Kind::close &&
        queued_bytes_ + size > limits_.max_outbound_bytes) {
        violation("peer is not reading: " + std::to_string(queued_bytes_ + size) +
                      " bytes would be queued, over websocket_max_outbound_bytes (" +
                      std::to_string(limits_.max_outbound_bytes) + ")",
                  false);
        return 0;
    }
    queued_bytes_ += size;
    const auto sequence = ++queued_;
    if (writer_running_) {
        queue_.push_back(std::move(frame));
    } else {
        writer_running_ = true;
        current_ = std::move(frame);
        start_current();
    }
    return sequence;
}

// Not a coroutine: the frame is queued by the call itself (Tornado's write methods work the
// same "semi-synchronous" way), and the awaitable only waits.
awaitable<void> WebSocketProtocol::write_message(std::string data, bool binary) {
    return wait_written(
        enqueue({.data = std::move(data), .kind = binary ? Kind::binary : Kind::text}));
}

awaitable<void> WebSocketProtocol::ping(std::string data) {
    if (data.size() > 125) throw std::invalid_argument("a ping's payload is at most 125 bytes");
    return wait_written(enqueue({.data = std::move(data), .kind = Kind::ping}));
}

// Asio's own awaitable for an operation of ours: no coroutine frame is made for the wait, and
// the write's completion resumes the waiter directly (wake_waiters).
awaitable<void> WebSocketProtocol::wait_written(std::uint64_t sequence) {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
        [self = shared_from_this(), sequence](auto handler) {
            if (sequence != 0 && self->written_ < sequence && !self->abandoned_) {
                Waiter waiter{sequence, std::move(handler)};
                if (!self->first_waiter_.handler)
                    self->first_waiter_ = std::move(waiter);
                else
                    self->more_waiters_.push_back(std::move(waiter));
                return;
            }
            // Settled already: the answer is posted, as Asio's awaitables may not complete
            // within their initiation.
            Waiter settled{sequence, std::move(handler)};
            self->resume(settled, false);
        },
        asio::use_awaitable);
}

// Beast writes one frame at a time, so the frames are written in order, each moved out of the
// queue first (the queue may grow, and move its strings, while Beast writes one of them).
void WebSocketProtocol::start_current() {
    if (current_.kind == Kind::text || current_.kind == Kind::binary) {
        in_flight_ = true;
        frame_started_ = Clock::now();
        arm_write_timer();
        transport_->start_write(current_.data, current_.kind == Kind::binary, shared_from_this());
        return;
    }
    asio::co_spawn(transport_->executor(), write_control(shared_from_this()), asio::detached);
}

awaitable<void> WebSocketProtocol::write_control(std::shared_ptr<WebSocketProtocol> self) {
    error_code ec;
    if (self->current_.kind == Kind::close) {
        // Beast's close waits for the peer's answer; the close timer bounds it.
        ec = co_await self->transport_->close(self->current_.code, self->current_.data);
        if (ec && !self->closed_) self->abort();
    } else {
        self->in_flight_ = true;
        self->frame_started_ = Clock::now();
        self->arm_write_timer();
        ec = co_await self->transport_->ping(self->current_.data);
        self->in_flight_ = false;
        if (ec) self->abort();
    }
    // Posted wakeups: this coroutine is still running.
    self->complete_current(ec, false);
}

void WebSocketProtocol::on_written(error_code ec) {
    in_flight_ = false;
    // A peer that reset the connection is gone; the read side notices it too.
    if (ec) abort();
    complete_current(ec, true);
}

void WebSocketProtocol::complete_current(error_code ec, bool inline_ok) {
    const auto self = shared_from_this();  // a waiter resumed below may drop the last other
    queued_bytes_ -= current_.data.size();
    current_ = Frame();
    if (!ec) ++written_;
    if (head_ < queue_.size() && !closed_) {
        current_ = std::move(queue_[head_++]);
        start_current();
    } else {
        // Drained: no memory is kept for the next burst (an idle connection holds none).
        std::vector<Frame>().swap(queue_);
        head_ = 0;
        queued_bytes_ = 0;
        writer_running_ = false;
    }
    // Last: a waiter resumed here runs until it waits again, and may write meanwhile.
    wake_waiters(inline_ok);
}

std::exception_ptr WebSocketProtocol::outcome(std::uint64_t sequence) const {
    return sequence != 0 && written_ >= sequence ? std::exception_ptr()
                                                 : std::make_exception_ptr(WebSocketClosedError());
}

void WebSocketProtocol::resume(Waiter& waiter, bool inline_ok) {
    auto handler = std::move(waiter.handler);
    waiter.handler = nullptr;
    auto result = outcome(waiter.sequence);
    if (inline_ok) {
        std::move(handler)(result);
        return;
    }
    asio::post(transport_->executor(),
               [handler = std::move(handler), result]() mutable { std::move(handler)(result); });
}

void WebSocketProtocol::wake_waiters(bool inline_ok) {
    const auto due = [this](const Waiter& waiter) {
        return waiter.handler && (abandoned_ || written_ >= waiter.sequence);
    };
    // The others are posted, so that each starts from the loop; the first may be resumed
    // inline, and last, as it may queue and wait again.
    if (!more_waiters_.empty()) {
        for (auto& waiter : more_waiters_)
            if (due(waiter)) resume(waiter, false);
        std::erase_if(more_waiters_, [](const Waiter& waiter) { return !waiter.handler; });
        if (more_waiters_.empty()) std::vector<Waiter>().swap(more_waiters_);
    }
    if (due(first_waiter_)) resume(first_waiter_, inline_ok);
}

void WebSocketProtocol::abandon_writes() noexcept {
    abandoned_ = true;
    for (auto i = head_; i < queue_.size(); ++i)
        queued_bytes_ -= queue_[i].data.size();
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(head_), queue_.end());
    // Called from within the reader, a writer or a timer: the waiters start from the loop.
    wake_waiters(false);
}

// One timer for the writes, armed when a frame starts and none is pending, and re-armed for the
// frame in flight when it fires: a steady stream of quick writes costs no timer operation each.
void WebSocketProtocol::arm_write_timer() {
    if (limits_.write_timeout <= Clock::duration::zero() || write_timer_armed_) return;
    if (!write_timer_) write_timer_ = std::make_unique<asio::steady_timer>(transport_->executor());
    write_timer_armed_ = true;
    write_timer_->expires_at(frame_started_ + limits_.write_timeout);
    write_timer_->async_wait([self = shared_from_this()](boost::system::error_code ec) {
        self->write_timer_armed_ = false;
        if (ec || self->closed_ || !self->in_flight_) return;
        if (Clock::now() - self->frame_started_ >= self->limits_.write_timeout) {
            // The frame being written blocks the close frame too: the connection is dropped.
            const auto ms =
                std::chrono::duration_cast<std::chrono::milliseconds>(self->limits_.write_timeout);
            self->violation(
                "peer is not reading: a write took longer than "
                "websocket_write_timeout (" +
                    std::to_string(ms.count()) + " ms)",
                true);
            return;
        }
        self->arm_write_timer();
    });
}

std::string WebSocketProtocol::who() const {
    return owner_ ? " " + owner_->request_summary() : std::string();
}

void WebSocketProtocol::violation(const std::string& what, bool drop) {
    // One line per connection: a connection already closing (for this or another reason) that
    // is then dropped says nothing more.
    if (!violated_ && !is_closing())
        log::gen_log.warning("WebSocket" + who() + (drop ? " dropped: " : " closed with 1008: ") +
                             what);
    violated_ = true;
    if (drop) {
        abort();
        return;
    }
    // What is queued would only be written after the backlog that is the problem.
    abandon_writes();
    close(1008, "peer too slow");
}

void WebSocketProtocol::abort() noexcept {
    transport_->abort();
    abandon_writes();
}

// Tornado's rule: a peer that does not answer the close frame within 5 s is dropped.
void WebSocketProtocol::arm_close_timer() {
    close_timer_ = std::make_unique<asio::steady_timer>(transport_->executor(), 5s);
    close_timer_->async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec && !self->closed_) self->abort();
    });
}

void WebSocketProtocol::close(std::optional<int> code, std::string_view reason) {
    if (is_closing()) return;
    close_started_ = true;
    if (!code && !reason.empty()) code = 1000;
    arm_close_timer();
    // The close frame follows the frames already queued, as Tornado's follows the bytes already
    // in its stream's buffer.
    enqueue({.data = std::string(reason.substr(0, 123)),
             .kind = Kind::close,
             .code = code.value_or(0)});
}

void WebSocketProtocol::start_pinging(Clock::duration interval, Clock::duration timeout) {
    if (interval <= Clock::duration::zero()) return;
    last_ping_ = last_pong_ = Clock::now();
    ping_timer_ = std::make_unique<asio::steady_timer>(transport_->executor());
    asio::co_spawn(
        transport_->executor(),
        [](std::shared_ptr<WebSocketProtocol> self, Clock::duration interval,
           Clock::duration timeout) -> awaitable<void> {
            while (!self->is_closing()) {
                self->ping_timer_->expires_after(interval);
                auto [ec] =
                    co_await self->ping_timer_->async_wait(asio::as_tuple(asio::use_awaitable));
                if (ec || self->is_closing()) co_return;
                // As Tornado: a peer silent for `timeout` after a recent ping is gone (the check
                // on the last ping skips a machine that was suspended).
                const auto now = Clock::now();
                if (now - self->last_ping_ < 2 * interval && now - self->last_pong_ > timeout) {
                    log::gen_log.info("WebSocket" + self->who() +
                                      " ping timeout; closing the connection");
                    self->close(std::nullopt, {});
                    co_return;
                }
                self->last_ping_ = now;
                // Queued, not awaited: a ping stuck behind writes a peer does not take must not
                // stop the timeout above from being checked.
                self->enqueue({.kind = Kind::ping});
            }
        }(shared_from_this(), interval, timeout),
        asio::detached);
}

}  // namespace typhoon::websocket::detail
