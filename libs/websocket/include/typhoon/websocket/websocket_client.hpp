#ifndef TYPHOON_WEBSOCKET_WEBSOCKET_CLIENT_HPP
#define TYPHOON_WEBSOCKET_WEBSOCKET_CLIENT_HPP

#include <typhoon/http/client_request.hpp>
#include <typhoon/http/headers.hpp>
#include <typhoon/websocket/error.hpp>
#include <typhoon/websocket/message.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace typhoon::websocket {

using boost::asio::awaitable;

namespace detail {
class WebSocketProtocol;
}

/// Options of websocket_connect() (Tornado's keyword arguments).
struct WebSocketConnectOptions {
    /** Receives each message, then std::nullopt once the connection is closed, instead of
        read_message() (which must not be called then). */
    std::function<void(std::optional<Message> message)> on_message_callback{};
    /// Offer permessage-deflate with these settings; std::nullopt: no compression.
    std::optional<CompressionOptions> compression_options{};
    /// Ping the server this often; zero: never.
    std::chrono::steady_clock::duration ping_interval{};
    /// Drop the connection when a ping stays unanswered this long; unset: the larger of three
    /// intervals and 30 s.
    std::optional<std::chrono::steady_clock::duration> ping_timeout{};
    /// Largest message accepted from the server; a larger one closes with 1009.
    std::size_t max_message_size = 10 * 1024 * 1024;
    /// Subprotocols offered, in order of preference (Sec-WebSocket-Protocol).
    std::vector<std::string> subprotocols{};
};

/** The client side of a WebSocket (tornado.websocket.WebSocketClientConnection), made by
    websocket_connect(). Dropping it without close() drops the connection. */
class WebSocketClientConnection {
public:
    /// Made by websocket_connect() once the handshake succeeded; not for direct use.
    WebSocketClientConnection(std::shared_ptr<detail::WebSocketProtocol> protocol,
                              httputil::HTTPHeaders response_headers,
                              std::function<void(std::optional<Message>)> on_message_callback);
    ~WebSocketClientConnection();
    WebSocketClientConnection(const WebSocketClientConnection&) = delete;
    WebSocketClientConnection& operator=(const WebSocketClientConnection&) = delete;

    /** The next message; std::nullopt once the connection is closed (as Tornado's None).
        Call it from one coroutine at a time. */
    awaitable<std::optional<Message>> read_message();
    ///@{
    /** Sends a message as WebSocketHandler::write_message() does: queued (owned) by the call,
        and the awaitable completes once the connection has taken it. The client sets no
        outbound limit nor write timeout: its writer is the program itself.
        Awaiting throws WebSocketClosedError when the connection was closing or closed at the
        call, or closed before the message was written. */
    awaitable<void> write_message(std::string message, WriteOptions options = {});
    awaitable<void> write_message(std::string_view message, WriteOptions options = {});
    awaitable<void> write_message(const char* message, WriteOptions options = {});
    ///@}
    /// Sends `message` as JSON text.
    awaitable<void> write_message(const boost::json::value& message);
    /// Sends a ping (at most 125 bytes), queued as write_message() queues.
    /// @throws std::invalid_argument at once; awaiting throws WebSocketClosedError.
    awaitable<void> ping(std::string_view data = {});
    /// Starts the closing handshake (see WebSocketHandler::close()); read_message() then
    /// returns std::nullopt once the server has answered.
    void close(std::optional<int> code = std::nullopt, std::string_view reason = {});
    ///@{
    /// The code and reason of the server's close frame, once closed.
    std::optional<int> close_code() const;
    std::optional<std::string> close_reason() const;
    ///@}
    /// The subprotocol the server chose, if any.
    std::optional<std::string> selected_subprotocol() const;
    /// The headers of the server's 101 response.
    const httputil::HTTPHeaders& headers() const noexcept { return headers_; }

private:
    std::shared_ptr<detail::WebSocketProtocol> protocol_;
    httputil::HTTPHeaders headers_;
};

///@{
/** Opens a WebSocket to `request.url` (ws:// or wss://; http:// and https:// are taken as
    those), Tornado's websocket_connect(). The request's headers are sent with the upgrade, its
    connect_timeout bounds the connection and handshake, and a wss:// connection checks the
    server's certificate as the HTTP client does (validate_cert, ca_certs, client_cert).
    @throws httpclient::HTTPClientError: 599 when the server cannot be reached or the TLS
    handshake fails, the status when the server answers without upgrading. */
awaitable<std::unique_ptr<WebSocketClientConnection>> websocket_connect(
    httpclient::HTTPRequest request, WebSocketConnectOptions options = {});
awaitable<std::unique_ptr<WebSocketClientConnection>> websocket_connect(
    std::string url, WebSocketConnectOptions options = {});
///@}

}  // namespace typhoon::websocket

#endif
