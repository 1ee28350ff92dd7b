#include <typhoon/websocket/websocket_handler.hpp>

#include "protocol.hpp"
#include "transport.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/error.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/web/application.hpp>
#include <typhoon/web/settings.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <tuple>

namespace typhoon::websocket {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

/// The WebSocket setting `name` of the application, or nullptr when it is unset or null (Tornado's
/// None).
const boost::json::value* websocket_setting(const web::Settings& settings, std::string_view name) {
    const auto* value = settings.extra.if_contains(name);
    return value != nullptr && !value->is_null() ? value : nullptr;
}

/** A setting given in seconds, as Tornado's are (30, 0.5).
    @throws Error for anything but a number from 0 to 1e9 (31 years), which a steady_clock
    duration holds without overflow. */
std::optional<std::chrono::steady_clock::duration> seconds_setting(const web::Settings& settings,
                                                                   std::string_view name) {
    const auto* value = websocket_setting(settings, name);
    if (value == nullptr) return std::nullopt;
    const double seconds = value->is_number() ? value->to_number<double>() : -1;
    if (!(seconds >= 0 && seconds <= 1e9))
        throw Error("The " + std::string(name) +
                    " setting must be a number of seconds from 0 to 1e9");
    return std::chrono::round<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(seconds));
}

/// A setting given in bytes. @throws Error for anything but a whole number, 0 or more.
std::optional<std::size_t> bytes_setting(const web::Settings& settings, std::string_view name) {
    const auto* value = websocket_setting(settings, name);
    if (value == nullptr) return std::nullopt;
    if (value->is_uint64()) return static_cast<std::size_t>(value->get_uint64());
    if (value->is_int64() && value->get_int64() >= 0)
        return static_cast<std::size_t>(value->get_int64());
    throw Error("The " + std::string(name) + " setting must be a whole number of bytes, 0 or more");
}

/// The comma-separated items of a header value, stripped (Tornado's `s.strip() for s in
/// value.split(",")`).
std::vector<std::string> split_list(std::string_view value) {
    std::vector<std::string> items;
    while (true) {
        const auto comma = value.find(',');
        items.emplace_back(escape::detail::strip(value.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return items;
}

/// The network location of a URL (urllib.parse.urlparse(url).netloc).
std::string_view netloc(std::string_view url) {
    const auto slashes = url.find("//");
    if (slashes == std::string_view::npos) return {};
    // A scheme is letters, digits, '+', '-', '.' before ':'; "//" may also start the URL.
    if (slashes != 0 && (slashes < 2 || url[slashes - 1] != ':')) return {};
    url.remove_prefix(slashes + 2);
    return url.substr(0, url.find_first_of("/?#"));
}

/// The handler's on_message() for the message just read. Not a coroutine: the message goes
/// straight into on_message()'s frame, and the session's frame keeps no room for one.
awaitable<void> deliver(WebSocketHandler& handler, detail::WebSocketProtocol& protocol) {
    Message message = protocol.transport().take_message();
    if (!protocol.deliverable(message)) return protocol.fail(1007);
    return handler.on_message(std::move(message));
}

/// The end of a session: after a failure (logged, as in Tornado, and the connection dropped),
/// the rest of the input is drained; then on_connection_close() and on_close(), Tornado's order.
/// Whatever they throw is logged: it ends nothing but this connection, which has ended.
awaitable<void> end_session(WebSocketHandler& handler, detail::WebSocketProtocol& protocol,
                            std::exception_ptr failure) {
    if (failure) {
        handler.log_exception(failure);
        protocol.abort();
        while (co_await protocol.read_message()) {
        }
    }
    try {
        handler.on_connection_close();
    } catch (...) {
        handler.log_exception(std::current_exception());
    }
    try {
        handler.on_close();
    } catch (...) {
        handler.log_exception(std::current_exception());
    }
}

/// What write_message() and ping() return on a connection that never opened.
awaitable<void> refuse_closed() {
    throw WebSocketClosedError();
    co_return;
}

}  // namespace

WebSocketHandler::WebSocketHandler(web::Application& application,
                                   httputil::HTTPServerRequest& request,
                                   httputil::HTTPConnection& connection)
    : RequestHandler(application, request, connection) {}

WebSocketHandler::~WebSocketHandler() {
    // Writes still pending keep the protocol; its log lines no longer name this request.
    if (protocol_) protocol_->set_owner(nullptr);
}

awaitable<void> WebSocketHandler::open(const std::vector<std::string>&) {
    co_return;
}

void WebSocketHandler::on_ping(std::string_view) {}
void WebSocketHandler::on_pong(std::string_view) {}

bool WebSocketHandler::check_origin(std::string_view origin) {
    return escape::detail::ascii_lower(netloc(origin)) == request().headers.get("Host", "");
}

std::optional<std::string> WebSocketHandler::select_subprotocol(const std::vector<std::string>&) {
    return std::nullopt;
}

std::optional<CompressionOptions> WebSocketHandler::get_compression_options() {
    return std::nullopt;
}

std::size_t WebSocketHandler::max_message_size() const {
    return bytes_setting(settings(), "websocket_max_message_size").value_or(10 * 1024 * 1024);
}

std::size_t WebSocketHandler::max_outbound_bytes() const {
    return bytes_setting(settings(), "websocket_max_outbound_bytes").value_or(4 * 1024 * 1024);
}

std::chrono::steady_clock::duration WebSocketHandler::write_timeout() const {
    return seconds_setting(settings(), "websocket_write_timeout").value_or(30s);
}

std::chrono::steady_clock::duration WebSocketHandler::ping_interval() const {
    return seconds_setting(settings(), "websocket_ping_interval").value_or(0s);
}

std::chrono::steady_clock::duration WebSocketHandler::ping_timeout() const {
    if (const auto timeout = seconds_setting(settings(), "websocket_ping_timeout")) return *timeout;
    return std::max<std::chrono::steady_clock::duration>(3 * ping_interval(), 30s);
}

bool WebSocketHandler::validate_upgrade() {
    const auto& headers = request().headers;
    const auto refuse = [this](int status, std::string_view message) {
        set_status(status);
        finish(message);
        log::gen_log.debug(std::string(message));
        return false;
    };
    // The handshake is a GET (RFC 6455 §4.1); get() also answers HEAD for other handlers, and a
    // HEAD must not open a socket whose answer has no body to carry frames in.
    if (request().method != "GET") {
        set_header("Allow", "GET");
        return refuse(405, "The WebSocket handshake is a GET.");
    }
    if (escape::detail::ascii_lower(headers.get("Upgrade", "")) != "websocket")
        return refuse(400, "Can \"Upgrade\" only to \"WebSocket\".");
    const auto connection = split_list(escape::detail::ascii_lower(headers.get("Connection", "")));
    if (std::find(connection.begin(), connection.end(), "upgrade") == connection.end())
        return refuse(400, "\"Connection\" must be \"Upgrade\".");
    auto origin = headers.get("Origin");
    if (!origin) origin = headers.get("Sec-Websocket-Origin");
    if (origin && !check_origin(*origin)) return refuse(403, "Cross origin websockets not allowed");
    // Beast speaks version 13, the RFC's, which every browser since 2012 uses. Tornado also
    // lists the drafts 7 and 8.
    if (headers.get("Sec-Websocket-Version", "") != "13") {
        set_status(426, "Upgrade Required");
        set_header("Sec-WebSocket-Version", "13");
        finish();
        return false;
    }
    if (headers.get("Host", "").empty() || headers.get("Sec-Websocket-Key", "").empty())
        return refuse(400, "Missing/Invalid WebSocket headers");
    return true;
}

awaitable<bool> WebSocketHandler::upgrade() {
    if (!validate_upgrade()) co_return false;

    const auto offered = request().headers.get("Sec-WebSocket-Protocol");
    if (offered && !offered->empty()) {
        const auto subprotocols = split_list(*offered);
        selected_subprotocol_ = select_subprotocol(subprotocols);
        if (selected_subprotocol_) {
            if (std::find(subprotocols.begin(), subprotocols.end(), *selected_subprotocol_) ==
                subprotocols.end())
                throw std::logic_error("select_subprotocol() chose a subprotocol not offered");
            set_header("Sec-WebSocket-Protocol", *selected_subprotocol_);
        }
    }
    // Read before the answer, so that a setting of the wrong type is a 500, not a broken socket.
    const detail::TransportOptions options{.max_message_size = max_message_size(),
                                           .compression = get_compression_options()};
    const detail::WriteLimits limits{.max_outbound_bytes = max_outbound_bytes(),
                                     .write_timeout = write_timeout()};
    const auto ping_every = ping_interval();
    const auto ping_deadline = ping_timeout();
    clear_header("Content-Type");
    set_status(101);
    const httputil::HTTPHeaders response_headers = headers();
    protocol_ = std::make_shared<detail::WebSocketProtocol>(
        detail::make_server_transport(detach(), options), limits);
    protocol_->set_owner(this);
    auto& transport = protocol_->transport();
    if (const auto ec = co_await transport.accept(request(), response_headers)) {
        log::gen_log.debug("Malformed WebSocket request received: " + ec.message());
        protocol_->abort();
        co_return false;
    }
    // Beast calls this inside its read: an exception must not escape into Beast (and from there
    // out of the loop). It is kept for the session, which logs it, and the socket is closed so
    // that the read ends now.
    transport.on_control([this](bool ping, std::string_view data) {
        if (control_failure_) return;
        try {
            if (ping) {
                on_ping(data);
            } else {
                protocol_->pong_received();
                on_pong(data);
            }
        } catch (...) {
            control_failure_ = std::current_exception();
            protocol_->abort();
        }
    });
    protocol_->start_pinging(ping_every, ping_deadline);
    co_return true;
}

// The connection outlives the HTTP request that opened it: once the handshake is done, the
// handler leaves the Application's hands and the session runs on a coroutine of its own, which
// owns it. The HTTP server's frames, parser and dispatcher are freed as get() returns, so an open
// WebSocket holds only the handler, its request and Beast's stream.
awaitable<void> WebSocketHandler::get() {
    if (!co_await upgrade()) co_return;
    std::unique_ptr<WebSocketHandler> self(
        static_cast<WebSocketHandler*>(release_after_detach().release()));
    // The session starts once the request's frames, which still refer to the handler, are gone.
    auto executor = co_await asio::this_coro::executor;
    asio::post(executor, [executor, self = std::move(self)]() mutable {
        asio::co_spawn(executor, run_session(std::move(self)), asio::detached);
    });
}

// One coroutine frame for the connection's life, and a lean one: each byte of it is held by
// every idle connection. So the read loop is written out here rather than called, and what is
// rarely needed (the end) is a coroutine of its own.
awaitable<void> WebSocketHandler::run_session(std::unique_ptr<WebSocketHandler> handler) {
    auto& protocol = *handler->protocol_;
    auto& transport = protocol.transport();
    std::exception_ptr failure;
    try {
        co_await handler->open(handler->path_args());
        for (;;) {
            const auto [ec, n] = co_await transport.read();
            if (handler->control_failure_) std::rethrow_exception(handler->control_failure_);
            if (ec) {
                protocol.finish();
                break;
            }
            if (!transport.message_done()) continue;
            co_await deliver(*handler, protocol);
            if (protocol.closed()) break;  // the message failed the connection
        }
    } catch (...) {
        failure = std::current_exception();
    }
    co_await end_session(*handler, protocol, failure);
}

// None of these is a coroutine: the message is queued (owned by the protocol) by the call, and
// the awaitable returned holds the protocol, not the handler.
awaitable<void> WebSocketHandler::write_message(std::string message, WriteOptions options) {
    if (!protocol_) return refuse_closed();
    return protocol_->write_message(std::move(message), options.binary);
}

awaitable<void> WebSocketHandler::write_message(std::string_view message, WriteOptions options) {
    return write_message(std::string(message), options);
}

awaitable<void> WebSocketHandler::write_message(const char* message, WriteOptions options) {
    return write_message(std::string(message), options);
}

awaitable<void> WebSocketHandler::write_message(const boost::json::value& message) {
    return write_message(escape::json_encode(message));
}

awaitable<void> WebSocketHandler::ping(std::string_view data) {
    if (data.size() > 125) throw std::invalid_argument("a ping's payload is at most 125 bytes");
    if (!protocol_) return refuse_closed();
    return protocol_->ping(std::string(data));
}

void WebSocketHandler::close(std::optional<int> code, std::string_view reason) {
    if (protocol_) protocol_->close(code, reason);
}

std::optional<int> WebSocketHandler::close_code() const {
    return protocol_ ? protocol_->close_code() : std::nullopt;
}

std::optional<std::string> WebSocketHandler::close_reason() const {
    return protocol_ ? protocol_->close_reason() : std::nullopt;
}

void WebSocketHandler::set_nodelay(bool value) {
    if (protocol_) protocol_->transport().set_nodelay(value);
}

}  // namespace typhoon::websocket
