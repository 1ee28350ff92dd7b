#include "protocol.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/condition.hpp>
#include <typhoon/websocket/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>
#include <tuple>

namespace typhoon::websocket::detail {

namespace asio = boost::asio;
using namespace std::chrono_literals;

WebSocketProtocol::WebSocketProtocol(std::unique_ptr<Transport> transport)
    : transport_(std::move(transport)) {}

WebSocketProtocol::~WebSocketProtocol() = default;

awaitable<std::optional<Message>> WebSocketProtocol::read_message() {
    if (closed_) co_return std::nullopt;
    auto [ec, n] = co_await transport_->read();
    while (!ec && !transport_->message_done())
        std::tie(ec, n) = co_await transport_->read();
    if (!ec) co_return transport_->take_message();
    finish();
    co_return std::nullopt;
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
    transport_->on_control({});
    transport_->abort();
    if (write_turn_) write_turn_->notify_all();
}

awaitable<void> WebSocketProtocol::begin_write() {
    while (writing_) {
        if (is_closing()) throw WebSocketClosedError();
        if (!write_turn_) write_turn_ = std::make_unique<locks::Condition>();
        co_await write_turn_->wait();
    }
    if (is_closing()) throw WebSocketClosedError();
    writing_ = true;
}

void WebSocketProtocol::end_write() noexcept {
    writing_ = false;
    if (write_turn_) write_turn_->notify(1);
}

awaitable<void> WebSocketProtocol::write_message(std::string_view data, bool binary) {
    if (is_closing()) throw WebSocketClosedError();
    // Uncontended (the usual case), no coroutine frame is made for the turn.
    if (writing_) co_await begin_write();
    writing_ = true;
    const auto [ec, n] = co_await transport_->write(data, binary);
    end_write();
    if (ec) {
        abort();
        throw WebSocketClosedError();
    }
}

awaitable<void> WebSocketProtocol::ping(std::string_view data) {
    if (data.size() > 125) throw std::invalid_argument("a ping's payload is at most 125 bytes");
    if (is_closing()) throw WebSocketClosedError();
    // Pings take the write turn: Beast sends one control frame at a time besides the close.
    if (writing_) co_await begin_write();
    writing_ = true;
    const auto ec = co_await transport_->ping(data);
    end_write();
    if (ec) {
        abort();
        throw WebSocketClosedError();
    }
}

void WebSocketProtocol::abort() noexcept {
    transport_->abort();
}

void WebSocketProtocol::close(std::optional<int> code, std::string_view reason) {
    if (is_closing()) return;
    close_started_ = true;
    if (!code && !reason.empty()) code = 1000;
    // Tornado's rule: a peer that does not answer the close frame within 5 s is dropped.
    auto self = shared_from_this();
    close_timer_ = std::make_unique<asio::steady_timer>(transport_->executor(), 5s);
    close_timer_->async_wait([self](boost::system::error_code ec) {
        if (!ec && !self->closed_) self->abort();
    });
    asio::co_spawn(
        transport_->executor(),
        [](std::shared_ptr<WebSocketProtocol> self, int code,
           std::string reason) -> awaitable<void> {
            const auto ec = co_await self->transport_->close(code, reason);
            if (ec && !self->closed_) self->abort();
        }(self, code.value_or(0), std::string(reason)),
        asio::detached);
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
                    log::gen_log.info("WebSocket ping timeout; closing the connection");
                    self->close(std::nullopt, {});
                    co_return;
                }
                self->last_ping_ = now;
                try {
                    co_await self->ping({});
                } catch (const WebSocketClosedError&) {
                    co_return;
                }
            }
        }(shared_from_this(), interval, timeout),
        asio::detached);
}

}  // namespace typhoon::websocket::detail
