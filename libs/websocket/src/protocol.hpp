#ifndef TYPHOON_WEBSOCKET_SRC_PROTOCOL_HPP
#define TYPHOON_WEBSOCKET_SRC_PROTOCOL_HPP

#include "transport.hpp"

#include <typhoon/websocket/message.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace typhoon::web {
class RequestHandler;
}

namespace typhoon::websocket::detail {

/// What a slow reader may cost the writer; zero: no limit.
struct WriteLimits {
    /// Bytes queued but not yet written past which the connection is closed with 1008.
    std::size_t max_outbound_bytes = 0;
    /// How long one frame may take to be written before the connection is dropped.
    std::chrono::steady_clock::duration write_timeout{};
};

/** What the handler and the client share (Tornado's WebSocketProtocol13 without the framing,
    which Beast does): the outbound queue and the one writer that drains it in call order, the
    closing handshake with its 5 s limit, keep-alive pings, and the peer's close code.

    Everything that waits on the connection (the write in flight, the awaitables write_message()
    and ping() return, the ping and close coroutines, the timers) holds a shared_ptr to it, so
    the protocol lives until the last of them is done, whenever its handler goes. */
class WebSocketProtocol final : public std::enable_shared_from_this<WebSocketProtocol>,
                                public WriteListener {
public:
    using Clock = std::chrono::steady_clock;

    explicit WebSocketProtocol(std::unique_ptr<Transport> transport, WriteLimits limits = {});
    ~WebSocketProtocol();

    Transport& transport() noexcept { return *transport_; }

    /// The next message; std::nullopt once the connection is closed (then close_code and
    /// close_reason hold what the peer's close frame said, and the socket is closed).
    awaitable<std::optional<Message>> read_message();
    /** The read side has ended (a read failed, or the peer's close frame came): the peer's close
        frame is kept, timers stop, the socket closes, unwritten frames are dropped.
        read_message() calls it; a loop reading from transport() itself (the server's session)
        calls it when a read fails. */
    void finish();
    /** Whether a message read may be handed on: not a text message that ends inside a
        character. A loop reading from transport() itself asks for each message it takes, and
        ends the connection with fail(1007) when the answer is no. */
    static bool deliverable(const Message& message);
    /** _Fail the WebSocket Connection_ (RFC 6455 §7.1.7) for what the reader found: no more
        writes, a close frame with `code`, then the end of the read side once the peer answers
        (or within Tornado's 5 s). The reader must not read meanwhile: Beast's close reads. */
    awaitable<void> fail(int code);
    /** Queues `data` at once (the caller's storage is not kept) and returns an awaitable that
        completes when the connection has taken it; not awaiting it still sends it. Awaiting
        throws WebSocketClosedError when the connection was closing or closed when it was queued,
        or closed before it was written. Crossing the outbound limit closes the connection with
        1008. */
    awaitable<void> write_message(std::string data, bool binary);
    /// As write_message(), for a ping. @throws std::invalid_argument (over 125 bytes) at once.
    awaitable<void> ping(std::string data);
    /// Starts the closing handshake (once), after the frames already queued; see
    /// WebSocketHandler::close().
    void close(std::optional<int> code, std::string_view reason);
    /// Closes the socket at once, without a close frame (Tornado's _abort()).
    void abort() noexcept;
    /// Pings every `interval`; closes when no pong came within `timeout` of one.
    void start_pinging(Clock::duration interval, Clock::duration timeout);
    void pong_received() noexcept { last_pong_ = Clock::now(); }
    /// Whether close() was called or the connection is closed.
    bool is_closing() const noexcept { return close_started_ || closed_; }
    bool closed() const noexcept { return closed_; }
    /// The handler whose request the protocol's log lines name (null: none, or it is gone).
    void set_owner(const web::RequestHandler* owner) noexcept { owner_ = owner; }

    /// The status code of the peer's close frame, once closed; std::nullopt before or if it
    /// gave none.
    std::optional<int> close_code() const;
    /// The reason of the peer's close frame, once closed (also empty with a code).
    std::optional<std::string> close_reason() const;

private:
    enum class Kind : unsigned char { text, binary, ping, close };
    struct Frame {
        std::string data;
        Kind kind = Kind::text;
        int code = 0;  // of a close frame
    };

    /// What waits for the frame of sequence number `sequence` to be written.
    struct Waiter {
        using Handler = boost::asio::any_completion_handler<void(std::exception_ptr)>;
        std::uint64_t sequence = 0;
        Handler handler;

        Waiter() = default;
        Waiter(std::uint64_t sequence, Handler handler)
            : sequence(sequence), handler(std::move(handler)) {}
        Waiter(Waiter&&) noexcept = default;
        // Boost 1.81's any_completion_handler move-assigns by wrapping itself in a new one, again
        // and again, until the stack is gone: swapped instead.
        Waiter& operator=(Waiter&& other) noexcept {
            sequence = other.sequence;
            Handler().swap(handler);
            handler.swap(other.handler);
            return *this;
        }
    };

    /// Queues `frame`, or starts writing it when nothing is being written; its sequence number,
    /// or 0 when the connection is closing (nothing is queued).
    std::uint64_t enqueue(Frame frame);
    /// An awaitable that completes when frame `sequence` is written, and throws
    /// WebSocketClosedError when it will not be.
    awaitable<void> wait_written(std::uint64_t sequence);
    /// Starts writing current_; a data frame through start_write(), a ping or close frame (rare)
    /// through a coroutine of its own.
    void start_current();
    static awaitable<void> write_control(std::shared_ptr<WebSocketProtocol> self);
    void on_written(error_code ec) override;
    /// current_ is done (written, or not when `ec`): the next frame starts, then those who
    /// waited for this one are told (`inline_ok`: see wake_waiters()).
    void complete_current(error_code ec, bool inline_ok);
    /// The frames not yet started are dropped, and every writer waiting for one is told.
    void abandon_writes() noexcept;
    /// Resumes the waiters whose frame is written, or all once writes are abandoned; inline
    /// (from a write's completion, with nothing of ours on the stack below) or posted.
    void wake_waiters(bool inline_ok);
    void resume(Waiter& waiter, bool inline_ok);
    /// What awaiting frame `sequence` gives now: nothing, or WebSocketClosedError.
    std::exception_ptr outcome(std::uint64_t sequence) const;
    void arm_write_timer();
    void arm_close_timer();
    /// A slow reader: logs once, and closes with 1008, or drops the connection when `drop`.
    void violation(const std::string& what, bool drop);
    std::string who() const;

    std::unique_ptr<Transport> transport_;
    const web::RequestHandler* owner_ = nullptr;
    WriteLimits limits_;
    bool closed_ = false, close_started_ = false;
    bool writer_running_ = false, in_flight_ = false, write_timer_armed_ = false;
    bool abandoned_ = false, violated_ = false;
    Frame current_;             // the frame being written, while writer_running_
    std::vector<Frame> queue_;  // from head_ on: not yet started
    std::size_t head_ = 0;
    std::size_t queued_bytes_ = 0;  // the frames not yet written, the one being written included
    std::uint64_t queued_ = 0, written_ = 0;  // sequence numbers of the last queued and written
    Waiter first_waiter_;                     // the usual one: a handler awaiting its own write
    std::vector<Waiter> more_waiters_;        // the others, when several coroutines write at once
    std::unique_ptr<boost::asio::steady_timer> ping_timer_, close_timer_, write_timer_;
    Clock::time_point last_ping_{}, last_pong_{}, frame_started_{};
};

}  // namespace typhoon::websocket::detail

#endif
