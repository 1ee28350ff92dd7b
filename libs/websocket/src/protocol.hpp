#ifndef TYPHOON_WEBSOCKET_SRC_PROTOCOL_HPP
#define TYPHOON_WEBSOCKET_SRC_PROTOCOL_HPP

#include "transport.hpp"

#include <typhoon/websocket/message.hpp>

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace typhoon::locks {
class Condition;
}

namespace typhoon::websocket::detail {

/** What the handler and the client share (Tornado's WebSocketProtocol13 without the framing,
    which Beast does): writes one at a time in call order, the closing handshake with its 5 s
    limit, keep-alive pings, and the peer's close code. Shared with the ping and close
    coroutines, which may outlive their handler by a moment. */
class WebSocketProtocol : public std::enable_shared_from_this<WebSocketProtocol> {
public:
    using Clock = std::chrono::steady_clock;

    explicit WebSocketProtocol(std::unique_ptr<Transport> transport);
    ~WebSocketProtocol();

    Transport& transport() noexcept { return *transport_; }

    /// The next message; std::nullopt once the connection is closed (then close_code and
    /// close_reason hold what the peer's close frame said, and the socket is closed).
    awaitable<std::optional<Message>> read_message();
    /** The read side has ended (a read failed, or the peer's close frame came): the peer's close
        frame is kept, timers stop, the socket closes. read_message() calls it; a loop reading
        from transport() itself (the server's session) calls it when a read fails. */
    void finish();
    /// @throws WebSocketClosedError
    awaitable<void> write_message(std::string_view data, bool binary);
    /// @throws WebSocketClosedError, std::invalid_argument (over 125 bytes)
    awaitable<void> ping(std::string_view data);
    /// Starts the closing handshake (once); see WebSocketHandler::close().
    void close(std::optional<int> code, std::string_view reason);
    /// Closes the socket at once, without a close frame (Tornado's _abort()).
    void abort() noexcept;
    /// Pings every `interval`; closes when no pong came within `timeout` of one.
    void start_pinging(Clock::duration interval, Clock::duration timeout);
    void pong_received() noexcept { last_pong_ = Clock::now(); }
    /// Whether close() was called or the connection is closed.
    bool is_closing() const noexcept { return close_started_ || closed_; }
    bool closed() const noexcept { return closed_; }

    /// The status code of the peer's close frame, once closed; std::nullopt before or if it
    /// gave none.
    std::optional<int> close_code() const;
    /// The reason of the peer's close frame, once closed (also empty with a code).
    std::optional<std::string> close_reason() const;

private:
    /// Waits for the write turn; the caller gives it back with end_write().
    awaitable<void> begin_write();
    void end_write() noexcept;

    std::unique_ptr<Transport> transport_;
    bool closed_ = false, close_started_ = false, writing_ = false;
    std::unique_ptr<locks::Condition> write_turn_;  // made when two writers meet
    std::unique_ptr<boost::asio::steady_timer> ping_timer_, close_timer_;
    Clock::time_point last_ping_{}, last_pong_{};
};

}  // namespace typhoon::websocket::detail

#endif
