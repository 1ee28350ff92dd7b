#ifndef TYPHOON_WEBSOCKET_SRC_TRANSPORT_HPP
#define TYPHOON_WEBSOCKET_SRC_TRANSPORT_HPP

#include <typhoon/http/headers.hpp>
#include <typhoon/http/server_request.hpp>
#include <typhoon/net/stream.hpp>
#include <typhoon/websocket/message.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace typhoon::websocket::detail {

using boost::asio::awaitable;
using boost::system::error_code;

struct TransportOptions {
    std::size_t max_message_size = 10 * 1024 * 1024;
    std::optional<CompressionOptions> compression{};
};

/// Who waits for a write started with Transport::start_write().
class WriteListener {
public:
    virtual void on_written(error_code ec) = 0;

protected:
    ~WriteListener() = default;
};

/** One WebSocket connection on Beast's websocket::stream, whatever the transport under it (a
    TCP socket or TLS over one); the rest of the library sees only this. Errors are values. */
class Transport {
public:
    virtual ~Transport() = default;

    /// Answers the upgrade `request` with 101 and `headers` (Beast adds the handshake's own).
    virtual awaitable<error_code> accept(const httputil::HTTPServerRequest& request,
                                         const httputil::HTTPHeaders& headers) = 0;
    /// The client's handshake: sends the upgrade request for `target` on `host` with `headers`,
    /// and returns the response's status and headers (for the chosen subprotocol).
    virtual awaitable<error_code> handshake(const std::string& host, const std::string& target,
                                            const httputil::HTTPHeaders& headers,
                                            httputil::HTTPHeaders& response_headers,
                                            int& status) = 0;
    /** Reads (more of) the next message into the transport's buffer, for take_message() once
        message_done(); `error::closed` (Beast's) when the peer closed cleanly. Not a coroutine:
        the awaitable is Beast's own, so a message costs no coroutine frame of ours. */
    virtual awaitable<std::tuple<error_code, std::size_t>> read() = 0;
    /// Whether the message read() was reading is whole.
    virtual bool message_done() const = 0;
    /// The message read(), whole; the next is read into a new string.
    virtual Message take_message() = 0;
    /** Starts sending one message; `listener` is told when it is sent or failed, from the
        loop, never within this call. One write at a time; `data` must live until then. A
        callback rather than an awaitable: the writer is no coroutine, so a message written
        costs no coroutine started for it. */
    virtual void start_write(std::string_view data, bool binary,
                             std::shared_ptr<WriteListener> listener) = 0;
    virtual awaitable<error_code> ping(std::string_view data) = 0;
    /// Sends a close frame (`code` 0: none) and waits for the peer's answer or the read loop.
    virtual awaitable<error_code> close(int code, std::string_view reason) = 0;
    /// Closes the socket at once.
    virtual void abort() noexcept = 0;
    /// The peer's close frame: code (0: none) and reason.
    virtual std::pair<int, std::string> peer_close() const = 0;
    /// Called for each ping (true) or pong (false) read.
    virtual void on_control(std::function<void(bool ping, std::string_view data)> callback) = 0;
    virtual void set_nodelay(bool value) = 0;
    virtual boost::asio::any_io_executor executor() = 0;
};

///@{
/// The transport over a connection: one the HTTP server handed over (detach()), or one a client
/// opened (TLS handshake done, by net).
std::unique_ptr<Transport> make_server_transport(iostream::Stream stream,
                                                 const TransportOptions& options);
std::unique_ptr<Transport> make_client_transport(iostream::Stream stream,
                                                 const TransportOptions& options);
///@}

}  // namespace typhoon::websocket::detail

#endif
