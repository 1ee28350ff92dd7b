// Beast's WebSocket, compiled here only: the rest of the library sees detail::Transport.
#include "transport.hpp"

#include <typhoon/net/detail/exact_size_allocator.hpp>
#include <typhoon/net/prefixed_stream.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <openssl/ssl.h>

#include <optional>
#include <string>
#include <type_traits>

// Beast's WebSocket ends its transport with teardown(), found by argument-dependent lookup in the
// namespace of PrefixedStream: here that of the TCP socket under it. Over TLS that skips the
// close_notify alert, as Tornado's SSLIOStream does on close (and Beast 1.81's own TLS teardown
// is ambiguous to Clang).
namespace typhoon::iostream {

template <class Next>
void teardown(boost::beast::role_type role, PrefixedStream<Next>& stream,
              boost::beast::error_code& ec) {
    boost::beast::websocket::teardown(role, boost::beast::get_lowest_layer(stream.next_layer()),
                                      ec);
}

template <class Next, class Handler>
void async_teardown(boost::beast::role_type role, PrefixedStream<Next>& stream, Handler&& handler) {
    boost::beast::websocket::async_teardown(
        role, boost::beast::get_lowest_layer(stream.next_layer()), std::forward<Handler>(handler));
}

}  // namespace typhoon::iostream

namespace typhoon::websocket::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ws = boost::beast::websocket;
using tcp = asio::ip::tcp;
using iostream::PrefixedStream;
using iostream::TLSSocket;
using namespace std::chrono_literals;

namespace {

using iostream::detail::ExactSizeAllocator;

template <class Next>
class BeastTransport final : public Transport {
public:
    BeastTransport(Next next, std::string buffered, beast::role_type role,
                   const TransportOptions& options)
        : ws_(std::move(next), std::move(buffered)) {
        ws_.read_message_max(options.max_message_size);
        ws_.auto_fragment(false);
        if (options.compression) {
            ws::permessage_deflate deflate;
            deflate.server_enable = role == beast::role_type::server;
            deflate.client_enable = role == beast::role_type::client;
            deflate.compLevel = options.compression->compression_level;
            deflate.memLevel = options.compression->mem_level;
            ws_.set_option(deflate);
        }
        // Beast sends a compressed message, and every message of a client (masked), in writes of
        // its 4 KiB write buffer; with Nagle's algorithm each write after the first waits for
        // the peer's ACK, which the peer delays (40 ms on Linux): a 128 KiB compressed echo took
        // 80 ms instead of 38. Uncompressed server messages leave in one write, so those
        // connections keep the default (set_nodelay() changes either).
        if (options.compression || role == beast::role_type::client) {
            beast::error_code ignored;
            beast::get_lowest_layer(ws_).set_option(tcp::no_delay(true), ignored);
        }
        // The handshake and the closing handshake have 30 s, and idle connections no limit:
        // keep-alive is the pings' job.
        ws::stream_base::timeout timeout{};
        timeout.handshake_timeout = 30s;
        timeout.idle_timeout = ws::stream_base::none();
        timeout.keep_alive_pings = false;
        ws_.set_option(timeout);
    }

    awaitable<error_code> accept(const httputil::HTTPServerRequest& request,
                                 const httputil::HTTPHeaders& headers) override {
        http::request<http::empty_body> upgrade;
        upgrade.method_string(request.method);
        upgrade.target(request.uri);
        upgrade.version(11);
        request.headers.for_each(
            [&](std::string_view name, std::string_view value) { upgrade.insert(name, value); });
        ws_.set_option(ws::stream_base::decorator([&headers](http::response_header<>& response) {
            headers.for_each(
                [&](std::string_view name, std::string_view value) { response.set(name, value); });
        }));
        auto [ec] = co_await ws_.async_accept(upgrade, asio::as_tuple(asio::use_awaitable));
        // The decorator refers to `headers`, which this frame does not own beyond here.
        ws_.set_option(ws::stream_base::decorator([](http::response_header<>&) {}));
        co_return ec;
    }

    awaitable<error_code> handshake(const std::string& host, const std::string& target,
                                    const httputil::HTTPHeaders& headers,
                                    httputil::HTTPHeaders& response_headers, int& status) override {
        ws_.set_option(ws::stream_base::decorator([&headers](http::request_header<>& request) {
            headers.for_each(
                [&](std::string_view name, std::string_view value) { request.set(name, value); });
        }));
        ws::response_type response;
        auto [ec] = co_await ws_.async_handshake(response, host, target,
                                                 asio::as_tuple(asio::use_awaitable));
        ws_.set_option(ws::stream_base::decorator([](http::request_header<>&) {}));
        status = static_cast<int>(response.result_int());
        for (const auto& field : response)
            response_headers.add(field.name_string(), field.value());
        co_return ec;
    }

    awaitable<std::tuple<error_code, std::size_t>> read() override {
        // A message starts with a read of at most first_read bytes: Beast makes room in the
        // buffer before it waits, and an idle connection then holds that little rather than
        // Beast's 1536. The rest comes at most max_read bytes at a time: Beast sizes the room it
        // makes by what the frame header announces, and the length of a compressed frame is
        // checked against no limit (only what it inflates to is), so a peer announcing 2^56
        // bytes would have it allocate that much.
        auto token =
            asio::bind_allocator(ExactSizeAllocator<void>(), asio::as_tuple(asio::use_awaitable));
        return ws_.async_read_some(*buffer_, buffer_->size() == 0 ? first_read : max_read,
                                   std::move(token));
    }

    bool message_done() const override { return ws_.is_message_done(); }

    // The message was read straight into its string, which leaves with it: no copy.
    Message take_message() override {
        Message message{.data = std::move(data_), .binary = ws_.got_binary()};
        data_ = std::string();
        buffer_.emplace(data_);
        return message;
    }

    void start_write(std::string_view data, bool binary,
                     std::shared_ptr<WriteListener> listener) override {
        ws_.binary(binary);
        // Beast completes through the stream's executor (a post), never inline.
        ws_.async_write(asio::buffer(data.data(), data.size()),
                        [listener = std::move(listener)](error_code ec, std::size_t) {
                            listener->on_written(ec);
                        });
    }

    awaitable<error_code> ping(std::string_view data) override {
        auto [ec] = co_await ws_.async_ping(ws::ping_data(data.data(), data.size()),
                                            asio::as_tuple(asio::use_awaitable));
        co_return ec;
    }

    awaitable<error_code> close(int code, std::string_view reason) override {
        ws::close_reason frame;
        if (code != 0) {
            frame.code = static_cast<ws::close_code>(code);
            frame.reason.assign(reason.data(), std::min<std::size_t>(reason.size(), 123));
        }
        auto [ec] = co_await ws_.async_close(frame, asio::as_tuple(asio::use_awaitable));
        co_return ec;
    }

    void abort() noexcept override {
        beast::error_code ignored;
        auto& socket = beast::get_lowest_layer(ws_);
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
    }

    std::pair<int, std::string> peer_close() const override {
        const auto& reason = ws_.reason();
        return {static_cast<int>(reason.code),
                std::string(reason.reason.data(), reason.reason.size())};
    }

    void on_control(std::function<void(bool, std::string_view)> callback) override {
        control_ = std::move(callback);
        if (!control_) {
            ws_.control_callback();
            return;
        }
        // Beast's callback refers to ours, so that it fits in its std::function without a heap
        // block of its own.
        ws_.control_callback([this](ws::frame_type kind, beast::string_view payload) {
            if (kind == ws::frame_type::close) return;
            control_(kind == ws::frame_type::ping,
                     std::string_view(payload.data(), payload.size()));
        });
    }

    void set_nodelay(bool value) override {
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).set_option(tcp::no_delay(value), ignored);
    }

    asio::any_io_executor executor() override { return ws_.get_executor(); }

private:
    static constexpr std::size_t first_read = 64;
    static constexpr std::size_t max_read = 64 * 1024;

    ws::stream<PrefixedStream<Next>> ws_;
    std::function<void(bool, std::string_view)> control_;
    std::string data_;  // the message being read, through buffer_
    std::optional<asio::dynamic_string_buffer<char, std::char_traits<char>, std::allocator<char>>>
        buffer_{std::in_place, data_};
};

}  // namespace

namespace {

std::unique_ptr<Transport> make_transport(iostream::Stream stream, beast::role_type role,
                                          const TransportOptions& options) {
    if (stream.tls())
        return std::make_unique<BeastTransport<TLSSocket>>(
            std::move(*stream.take_tls()), std::move(stream.buffered), role, options);
    return std::make_unique<BeastTransport<tcp::socket>>(stream.take_tcp(),
                                                         std::move(stream.buffered), role, options);
}

}  // namespace

std::unique_ptr<Transport> make_server_transport(iostream::Stream stream,
                                                 const TransportOptions& options) {
    return make_transport(std::move(stream), beast::role_type::server, options);
}

std::unique_ptr<Transport> make_client_transport(iostream::Stream stream,
                                                 const TransportOptions& options) {
    return make_transport(std::move(stream), beast::role_type::client, options);
}

}  // namespace typhoon::websocket::detail
