#ifndef TYPHOON_WEBSOCKET_WEBSOCKET_HANDLER_HPP
#define TYPHOON_WEBSOCKET_WEBSOCKET_HANDLER_HPP

#include <typhoon/web/request_handler.hpp>
#include <typhoon/websocket/error.hpp>
#include <typhoon/websocket/message.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// WebSockets (tornado.websocket): WebSocketHandler on the server, websocket_connect() and
/// WebSocketClientConnection for clients, on Beast's WebSocket implementation.
namespace typhoon::websocket {

using boost::asio::awaitable;

namespace detail {
class WebSocketProtocol;
}

/** A WebSocket endpoint (tornado.websocket.WebSocketHandler): route a URL to a subclass, and a
    GET with `Upgrade: websocket` becomes a WebSocket connection (RFC 6455), which the handler
    serves for its whole life.

        class EchoHandler final : public websocket::WebSocketHandler {
        public:
            using WebSocketHandler::WebSocketHandler;
            awaitable<void> on_message(websocket::Message message) override {
                co_await write_message(message.data, {.binary = message.binary});
            }
        };

    open() runs once the handshake is done, then on_message() for each message in turn (the next
    is read when it returns: back-pressure), then on_close() once the connection is closed,
    whichever side closed it. A request that is not an upgrade gets 400, one from another
    origin 403 (check_origin()), an unknown protocol version 426, as in Tornado; a handshake
    that is not a GET (a HEAD with upgrade headers) 405 with `Allow: GET`.

    A hostile or broken peer costs only its own connection: an exception from any of the
    callbacks below is logged once with the request (method, URI, remote IP) and drops that
    connection alone; a peer that does not read what is written to it is closed once its queue
    passes max_outbound_bytes() (close code 1008) or one write outlasts write_timeout() (the
    connection is dropped), with one log line, while the others go on.

    The application's settings tune every WebSocket under Tornado's names, in `extra` as Tornado
    keeps them in its settings dict, times in seconds: `websocket_ping_interval`,
    `websocket_ping_timeout`, `websocket_max_message_size`, and Typhoon's own
    `websocket_max_outbound_bytes` and `websocket_write_timeout`:

        web::Application app(routes, {.extra = {{"websocket_ping_interval", 30},
                                                {"websocket_max_message_size", 1 << 20}}});

    A setting that is not a number of the right kind fails the handshake with a 500 and an
    Error naming it. A subclass may override the functions below instead. */
class WebSocketHandler : public web::RequestHandler {
public:
    /// Made by the Application for each request, as every handler is; subclasses inherit it
    /// with `using WebSocketHandler::WebSocketHandler;`.
    WebSocketHandler(web::Application& application, httputil::HTTPServerRequest& request,
                     httputil::HTTPConnection& connection);
    ~WebSocketHandler() override;

    /** The handshake. It returns once the connection is open, and the handler lives on with the
        connection (see RequestHandler::release_after_detach()). Not to be overridden. */
    awaitable<void> get() final;

    // --- what a subclass overrides ------------------------------------------------------------
    /** The connection is open; `args` are the route's groups (path_kwargs() has the named
        ones). An exception is logged and drops the connection, as in Tornado. */
    virtual awaitable<void> open(const std::vector<std::string>& args);
    /// One message from the peer. An exception is logged and drops the connection.
    virtual awaitable<void> on_message(Message message) = 0;
    /// The connection closed (close_code() and close_reason() tell what the peer said). An
    /// exception is logged.
    virtual void on_close() {}
    // RequestHandler::on_connection_close() is called as Tornado calls it for a WebSocket: once
    // the connection has closed, just before on_close(). An exception from it is logged, and
    // on_close() still runs.
    /// A ping from the peer, already answered with a pong. An exception is logged and drops
    /// the connection.
    virtual void on_ping(std::string_view data);
    /// The answer to a ping(). An exception is logged and drops the connection.
    virtual void on_pong(std::string_view data);

    /** Whether to accept a connection whose `Origin` (or `Sec-WebSocket-Origin`) is `origin`.
        The default accepts only the host of the request: an origin is a security boundary
        (cross-site WebSocket hijacking), so override with care. A refused origin gets 403. */
    virtual bool check_origin(std::string_view origin);
    /** The subprotocol to speak, out of those the client offers (`Sec-WebSocket-Protocol`, in
        its order); std::nullopt (the default) for none. It must be one of `subprotocols`. */
    virtual std::optional<std::string> select_subprotocol(
        const std::vector<std::string>& subprotocols);
    /// permessage-deflate settings when the client offers it; std::nullopt (the default)
    /// declines compression. A connection that offers it has TCP_NODELAY set: compressed
    /// messages leave in several writes, which Nagle's algorithm would hold back.
    virtual std::optional<CompressionOptions> get_compression_options();
    /// The largest message accepted; a larger one closes the connection with 1009. The
    /// websocket_max_message_size setting (bytes) by default, else 10 MiB.
    virtual std::size_t max_message_size() const;
    /// The websocket_ping_interval setting (seconds); unset or zero: no pings.
    virtual std::chrono::steady_clock::duration ping_interval() const;
    /// How long a ping may stay unanswered before the connection is dropped: the
    /// websocket_ping_timeout setting (seconds), else the larger of three intervals and 30 s.
    virtual std::chrono::steady_clock::duration ping_timeout() const;
    /** The bytes that may wait for a peer that does not read: the websocket_max_outbound_bytes
        setting, else 4 MiB; zero: no limit. Passing it closes the connection with 1008.
        Messages and pings written but not yet taken by the socket count, the one being written
        included; a message written while nothing is queued is always taken, whatever its size.
        Tornado has no such limit (its stream buffers without bound); 4 MiB is the kernel's own
        largest TCP send buffer, so a peer that is merely bursty never meets it, while one that
        stalls pins at most that much per connection. */
    virtual std::size_t max_outbound_bytes() const;
    /** How long the peer may take to accept one frame (a whole message) before the connection
        is dropped without a close frame, which could not get past the stalled one: the
        websocket_write_timeout setting (seconds), else 30 s, as the handshake's limit and the
        shortest default ping timeout; zero: no limit. */
    virtual std::chrono::steady_clock::duration write_timeout() const;

    // --- what a subclass calls ----------------------------------------------------------------
    ///@{
    /** Sends a message, as Tornado's write_message: the call itself queues it (a copy, or the
        moved string: nothing of the caller's is kept), and the awaitable it returns completes
        once the connection has taken it. Await it for back-pressure (a slow reader slows its
        writer); drop it to broadcast without waiting, as Tornado's chat does, the outbound limit
        then guarding the memory. Messages go out whole, in call order.
        Awaiting throws WebSocketClosedError when the connection was closing or closed at the
        call, or closed before the message was written (it may then not have reached the peer). */
    awaitable<void> write_message(std::string message, WriteOptions options = {});
    awaitable<void> write_message(std::string_view message, WriteOptions options = {});
    awaitable<void> write_message(const char* message, WriteOptions options = {});
    ///@}
    /// Sends `message` as JSON text (Tornado's write_message of a dict), as above.
    awaitable<void> write_message(const boost::json::value& message);
    /** Sends a ping, queued as write_message() queues; the answer reaches on_pong().
        @throws std::invalid_argument at once for a payload over 125 bytes; awaiting throws
        WebSocketClosedError as write_message()'s does. */
    awaitable<void> ping(std::string_view data = {});
    /** Starts the closing handshake: sends a close frame with `code` (and `reason`; a reason
        without a code sends 1000) and drops the connection if the peer has not answered within
        5 s. The frame follows the messages already queued. It returns at once; on_close()
        follows when the connection is closed. */
    void close(std::optional<int> code = std::nullopt, std::string_view reason = {});
    /// The status code of the peer's close frame; std::nullopt while open or if it gave none.
    std::optional<int> close_code() const;
    /// The reason of the peer's close frame; std::nullopt while open or if it gave none.
    std::optional<std::string> close_reason() const;
    /// The subprotocol select_subprotocol() chose.
    const std::optional<std::string>& selected_subprotocol() const noexcept {
        return selected_subprotocol_;
    }
    /// TCP_NODELAY on the connection: small messages leave at once instead of being coalesced.
    void set_nodelay(bool value);

private:
    /// Tornado's checks before the upgrade; false when the request was answered with an error.
    bool validate_upgrade();
    /// The handshake, up to the 101 answer; false when the request was refused or failed.
    awaitable<bool> upgrade();
    /// open(), the messages and on_close(), after the handshake: the connection's life.
    static awaitable<void> run_session(std::unique_ptr<WebSocketHandler> handler);

    std::shared_ptr<detail::WebSocketProtocol> protocol_;
    std::optional<std::string> selected_subprotocol_;
    std::exception_ptr control_failure_;  // thrown by on_ping() or on_pong(), inside a read
};

}  // namespace typhoon::websocket

#endif
