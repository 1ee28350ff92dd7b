#include <typhoon/websocket/websocket_client.hpp>

#include "protocol.hpp"
#include "transport.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/http/http_client_error.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/net/tcp_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>

#include <sys/socket.h>

#include <charconv>

namespace typhoon::websocket {

namespace asio = boost::asio;
using asio::ip::tcp;
using httpclient::HTTPClientError;

namespace {

struct Target {
    bool tls = false;
    std::string host, port, path;
};

Target parse_url(std::string_view url) {
    Target target;
    const auto colon = url.find("://");
    if (colon == std::string_view::npos)
        throw HTTPClientError(599, "Invalid WebSocket URL " + std::string(url));
    const std::string_view scheme = url.substr(0, colon);
    if (scheme == "wss" || scheme == "https")
        target.tls = true;
    else if (scheme != "ws" && scheme != "http")
        throw HTTPClientError(599, "Unsupported WebSocket scheme " + std::string(scheme));
    url.remove_prefix(colon + 3);
    const auto slash = url.find_first_of("/?#");
    std::string_view authority = url.substr(0, slash);
    std::string_view rest = slash == std::string_view::npos ? "" : url.substr(slash);
    rest = rest.substr(0, rest.find('#'));
    target.path = rest.empty() || rest.front() != '/' ? "/" + std::string(rest) : std::string(rest);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos)
        authority.remove_prefix(at + 1);
    target.port = target.tls ? "443" : "80";
    if (!authority.empty() && authority.front() == '[') {  // [ipv6]:port
        const auto close = authority.find(']');
        target.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size() && authority[close + 1] == ':')
            target.port = std::string(authority.substr(close + 2));
    } else if (const auto port = authority.rfind(':'); port != std::string_view::npos) {
        target.host = std::string(authority.substr(0, port));
        target.port = std::string(authority.substr(port + 1));
    } else {
        target.host = std::string(authority);
    }
    if (target.host.empty()) throw HTTPClientError(599, "Invalid WebSocket URL: no host");
    return target;
}

std::uint16_t port_number(const Target& target) {
    const auto& text = target.port;
    std::uint16_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw HTTPClientError(599, "Invalid WebSocket URL: port '" + text + "'");
    return value;
}

}  // namespace

WebSocketClientConnection::WebSocketClientConnection(
    std::shared_ptr<detail::WebSocketProtocol> protocol, httputil::HTTPHeaders response_headers,
    std::function<void(std::optional<Message>)> on_message_callback)
    : protocol_(std::move(protocol)), headers_(std::move(response_headers)) {
    auto* raw = protocol_.get();
    protocol_->transport().on_control([raw](bool ping, std::string_view) {
        if (!ping) raw->pong_received();
    });
    if (on_message_callback) {
        asio::co_spawn(
            protocol_->transport().executor(),
            [](std::shared_ptr<detail::WebSocketProtocol> protocol,
               std::function<void(std::optional<Message>)> callback) -> awaitable<void> {
                while (true) {
                    auto message = co_await protocol->read_message();
                    const bool end = !message;
                    callback(std::move(message));
                    if (end) co_return;
                }
            }(protocol_, std::move(on_message_callback)),
            asio::detached);
    }
}

WebSocketClientConnection::~WebSocketClientConnection() {
    if (!protocol_->closed()) protocol_->abort();
}

awaitable<std::optional<Message>> WebSocketClientConnection::read_message() {
    return protocol_->read_message();
}

// Not coroutines: the call queues an owned copy, and the awaitable holds the protocol.
awaitable<void> WebSocketClientConnection::write_message(std::string message,
                                                         WriteOptions options) {
    return protocol_->write_message(std::move(message), options.binary);
}

awaitable<void> WebSocketClientConnection::write_message(std::string_view message,
                                                         WriteOptions options) {
    return write_message(std::string(message), options);
}

awaitable<void> WebSocketClientConnection::write_message(const char* message,
                                                         WriteOptions options) {
    return write_message(std::string(message), options);
}

awaitable<void> WebSocketClientConnection::write_message(const boost::json::value& message) {
    return write_message(escape::json_encode(message));
}

awaitable<void> WebSocketClientConnection::ping(std::string_view data) {
    return protocol_->ping(std::string(data));
}

void WebSocketClientConnection::close(std::optional<int> code, std::string_view reason) {
    protocol_->close(code, reason);
}

std::optional<int> WebSocketClientConnection::close_code() const {
    return protocol_->close_code();
}

std::optional<std::string> WebSocketClientConnection::close_reason() const {
    return protocol_->close_reason();
}

std::optional<std::string> WebSocketClientConnection::selected_subprotocol() const {
    return headers_.get("Sec-WebSocket-Protocol");
}

awaitable<std::unique_ptr<WebSocketClientConnection>> websocket_connect(
    httpclient::HTTPRequest request, WebSocketConnectOptions options) {
    const Target target = parse_url(request.url);
    const auto executor = co_await asio::this_coro::executor;
    const auto timeout_message = std::string("Timeout while connecting");
    // connect_timeout bounds resolving, connecting and both handshakes: net's connect_socket()
    // the first three, the timer below the WebSocket handshake.
    const auto started = std::chrono::steady_clock::now();
    const bool bounded = request.connect_timeout > std::chrono::steady_clock::duration::zero();
    iostream::Stream stream;
    try {
        tcpclient::ConnectOptions connect{
            .ssl_context = target.tls ? httpclient::ssl_context_for(request) : nullptr};
        if (bounded) connect.timeout = gen::Deadline(started + request.connect_timeout);
        stream = co_await tcpclient::TCPClient().connect_socket(target.host, port_number(target),
                                                                std::move(connect));
    } catch (const gen::TimeoutError&) {
        throw HTTPClientError(599, timeout_message);
    } catch (const iostream::StreamClosedError& e) {
        throw HTTPClientError(599, (target.tls ? "Could not connect (or TLS handshake failed) to "
                                               : "Could not connect to ") +
                                       target.host + ":" + target.port + ": " +
                                       e.real_error().message());
    } catch (const boost::system::system_error& e) {
        throw HTTPClientError(599, "Could not resolve " + target.host + ": " + e.code().message());
    }
    if (auto* socket = stream.tcp_layer()) {
        boost::system::error_code ignored;
        socket->set_option(tcp::no_delay(true), ignored);
    }

    // Once the socket is in the transport, the timer shuts its descriptor down (without closing
    // it, which is the transport's to do): the handshake waiting on it fails at once.
    struct Deadline {
        bool timed_out = false;
        bool gone = false;  // this frame: a wait that completed before its cancel must not touch it
        int descriptor = -1;
    };
    const auto state = std::make_shared<Deadline>();
    state->descriptor = stream.tcp_layer()->native_handle();
    struct Forget {
        Deadline& state;
        ~Forget() { state.gone = true; }
    } forget{*state};
    asio::steady_timer deadline(executor);
    if (bounded) {
        deadline.expires_at(started + request.connect_timeout);
        deadline.async_wait([state](boost::system::error_code ec) {
            if (ec || state->gone) return;
            state->timed_out = true;
            ::shutdown(state->descriptor, SHUT_RDWR);
        });
    }
    const auto fail = [&](const std::string& what) -> HTTPClientError {
        return HTTPClientError(599, state->timed_out ? timeout_message : what);
    };
    auto transport = detail::make_client_transport(
        std::move(stream),
        {.max_message_size = options.max_message_size, .compression = options.compression_options});
    auto protocol = std::make_shared<detail::WebSocketProtocol>(std::move(transport));

    httputil::HTTPHeaders headers = request.headers;
    if (!options.subprotocols.empty()) {
        std::string offered;
        for (const auto& subprotocol : options.subprotocols)
            offered += (offered.empty() ? "" : ",") + subprotocol;
        headers.set("Sec-WebSocket-Protocol", offered);
    }
    const bool default_port = target.port == (target.tls ? "443" : "80");
    const std::string host =
        target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host;
    httputil::HTTPHeaders response_headers;
    int status = 0;
    const auto ec =
        co_await protocol->transport().handshake(default_port ? host : host + ":" + target.port,
                                                 target.path, headers, response_headers, status);
    deadline.cancel();
    if (ec) {
        protocol->abort();
        // An answer other than 101 is reported with its status, as Tornado does; no answer (the
        // peer closed, or the deadline shut the socket) is a 599.
        if (ec == boost::beast::websocket::error::upgrade_declined && status != 0 &&
            !state->timed_out)
            throw HTTPClientError(status);
        throw fail("WebSocket handshake failed: " + ec.message());
    }
    const auto interval = options.ping_interval;
    protocol->start_pinging(
        interval, options.ping_timeout.value_or(std::max<std::chrono::steady_clock::duration>(
                      3 * interval, std::chrono::seconds(30))));
    co_return std::make_unique<WebSocketClientConnection>(
        std::move(protocol), std::move(response_headers), std::move(options.on_message_callback));
}

awaitable<std::unique_ptr<WebSocketClientConnection>> websocket_connect(
    std::string url, WebSocketConnectOptions options) {
    httpclient::HTTPRequest request;
    request.url = std::move(url);
    co_return co_await websocket_connect(std::move(request), std::move(options));
}

}  // namespace typhoon::websocket
