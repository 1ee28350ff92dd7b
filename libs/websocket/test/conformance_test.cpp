// RFC 6455 as the handler enforces it, checked with a hand-written client that sends crafted
// frames: fragments, control frames between them, bad UTF-8, unmasked frames, oversized
// messages, the closing handshake from both sides, compression, and dropping a silent peer.
#include <typhoon/websocket/websocket_handler.hpp>

#include <typhoon/ioloop/event.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/web.hpp>
#include <typhoon/websocket/websocket_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <zlib.h>

using namespace typhoon;
using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

struct Frame {
    bool fin = true, rsv1 = false;
    int opcode = 0;
    std::string payload;
    /// The status code of a close frame.
    int close_code() const {
        return payload.size() >= 2 ? (static_cast<unsigned char>(payload[0]) << 8) |
                                         static_cast<unsigned char>(payload[1])
                                   : 0;
    }
};

/// A WebSocket client that writes frames byte by byte as a test describes them.
class RawClient {
public:
    explicit RawClient(tcp::socket socket) : socket_(std::move(socket)) {}

    static awaitable<RawClient> connect(std::uint16_t port, std::string_view path,
                                        std::string_view extra_headers = {}) {
        tcp::socket socket(co_await asio::this_coro::executor);
        co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port},
                                      asio::use_awaitable);
        RawClient client(std::move(socket));
        const std::string request = "GET " + std::string(path) +
                                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                    "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                                    std::string(extra_headers) + "\r\n";
        co_await asio::async_write(client.socket_, asio::buffer(request), asio::use_awaitable);
        while (client.buffered_.find("\r\n\r\n") == std::string::npos)
            co_await client.fill();
        const auto end = client.buffered_.find("\r\n\r\n") + 4;
        client.response_headers = client.buffered_.substr(0, end);
        client.buffered_.erase(0, end);
        co_return client;
    }

    awaitable<void> send(int opcode, std::string_view payload, bool fin = true,
                         bool masked = true) {
        std::string frame;
        frame += static_cast<char>((fin ? 0x80 : 0) | opcode);
        const char mask_bit = masked ? char(0x80) : char(0);
        if (payload.size() < 126) {
            frame += static_cast<char>(mask_bit | static_cast<char>(payload.size()));
        } else if (payload.size() < 65536) {
            frame += static_cast<char>(mask_bit | 126);
            frame += static_cast<char>(payload.size() >> 8);
            frame += static_cast<char>(payload.size() & 0xff);
        } else {
            frame += static_cast<char>(mask_bit | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
                frame += static_cast<char>((payload.size() >> shift) & 0xff);
        }
        const char key[4] = {0x12, 0x34, 0x56, 0x78};
        if (masked) frame.append(key, 4);
        for (std::size_t i = 0; i < payload.size(); ++i)
            frame += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
        co_await asio::async_write(socket_, asio::buffer(frame), asio::use_awaitable);
    }

    /// The next frame, or std::nullopt at the end of the stream.
    awaitable<std::optional<Frame>> read() {
        if (!co_await need(2)) co_return std::nullopt;
        Frame frame;
        const auto b0 = static_cast<unsigned char>(buffered_[0]);
        const auto b1 = static_cast<unsigned char>(buffered_[1]);
        frame.fin = b0 & 0x80;
        frame.rsv1 = b0 & 0x40;
        frame.opcode = b0 & 0x0f;
        std::size_t length = b1 & 0x7f, header = 2;
        if (length >= 126) {
            const std::size_t bytes = length == 126 ? 2 : 8;
            if (!co_await need(2 + bytes)) co_return std::nullopt;
            length = 0;
            for (std::size_t i = 0; i < bytes; ++i)
                length = (length << 8) | static_cast<unsigned char>(buffered_[2 + i]);
            header += bytes;
        }
        if (!co_await need(header + length)) co_return std::nullopt;
        frame.payload = buffered_.substr(header, length);
        buffered_.erase(0, header + length);
        co_return frame;
    }

    /// Hangs up, as a client does once the server has closed (RFC 6455 §7.1.1).
    void close() {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

    /// Bytes as they are, for frames send() would not write.
    awaitable<void> send_bytes(std::string_view bytes) {
        co_await asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                                   asio::use_awaitable);
    }

    std::string response_headers;

private:
    awaitable<bool> need(std::size_t n) {
        while (buffered_.size() < n)
            if (!co_await fill()) co_return false;
        co_return true;
    }
    awaitable<bool> fill() {
        char chunk[4096];
        auto [ec, n] = co_await socket_.async_read_some(asio::buffer(chunk),
                                                        asio::as_tuple(asio::use_awaitable));
        buffered_.append(chunk, n);
        co_return !ec;
    }

    tcp::socket socket_;
    std::string buffered_;
};

constexpr int text = 1, binary = 2, continuation = 0, close_frame = 8, ping_frame = 9,
              pong_frame = 10;

std::string close_payload(int code, std::string_view reason = {}) {
    std::string payload{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
    return payload.append(reason);
}

/// Inflates a permessage-deflate payload (RFC 7692 §7.2.2: the tail 00 00 ff ff is implied).
std::string inflate_message(std::string payload) {
    payload.append("\x00\x00\xff\xff", 4);
    z_stream stream{};
    inflateInit2(&stream, -15);
    std::string out(1 << 20, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(payload.data());
    stream.avail_in = static_cast<uInt>(payload.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    inflate(&stream, Z_SYNC_FLUSH);
    out.resize(stream.total_out);
    inflateEnd(&stream);
    return out;
}

struct Seen {
    std::optional<int> close_code;
    locks::Event closed;
};

class Echo final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    void initialize(Seen& seen) { seen_ = &seen; }
    awaitable<void> on_message(websocket::Message message) override {
        if (message.data == "close me") {
            close(4001, "asked to");
            co_return;
        }
        co_await write_message(message.data, {.binary = message.binary});
    }
    void on_close() override {
        seen_->close_code = close_code();
        seen_->closed.set();
    }

private:
    Seen* seen_ = nullptr;
};

class CompressedEcho final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    std::optional<websocket::CompressionOptions> get_compression_options() override {
        return websocket::CompressionOptions{};
    }
    awaitable<void> on_message(websocket::Message message) override {
        co_await write_message(message.data, {.binary = message.binary});
    }
};

struct ConformanceTest : testing::AsyncHTTPTestCase {
    Seen seen;
    web::Application get_app() override {
        web::Settings settings;
        settings.extra = {{"websocket_max_message_size", 1024},
                          {"websocket_ping_interval", 0.05},
                          {"websocket_ping_timeout", 0.2}};
        return web::Application(
            {web::url<Echo>("/echo", {}, std::ref(seen)), web::url<CompressedEcho>("/deflate")},
            std::move(settings));
    }
    awaitable<RawClient> raw(std::string_view path, std::string_view headers = {}) {
        return RawClient::connect(get_http_port(), path, headers);
    }
    /// The next frame that is not a ping (the app pings every 50 ms).
    static awaitable<std::optional<Frame>> next(RawClient& client) {
        while (true) {
            auto frame = co_await client.read();
            if (!frame || frame->opcode != ping_frame) co_return frame;
        }
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(conformance_test, ConformanceTest)

TYPHOON_GEN_TEST(fragments_make_one_message) {
    auto client = co_await raw("/echo");
    BOOST_TEST(client.response_headers.starts_with("HTTP/1.1 101"));
    co_await client.send(text, "Hel", false);
    co_await client.send(continuation, "lo, ", false);
    co_await client.send(continuation, "world");
    const auto frame = co_await next(client);
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST(frame->opcode == text);
    BOOST_TEST(frame->payload == "Hello, world");
    co_await client.send(close_frame, close_payload(1000));
    BOOST_TEST((co_await next(client))->opcode == close_frame);
}

TYPHOON_GEN_TEST(a_ping_between_fragments_is_answered_and_the_message_stays_whole) {
    auto client = co_await raw("/echo");
    co_await client.send(binary, "ab", false);
    co_await client.send(ping_frame, "are you there");
    co_await client.send(continuation, "cd");
    auto frame = co_await next(client);
    BOOST_TEST(frame->opcode == pong_frame);
    BOOST_TEST(frame->payload == "are you there");
    frame = co_await next(client);
    BOOST_TEST(frame->opcode == binary);
    BOOST_TEST(frame->payload == "abcd");
    co_await client.send(close_frame, close_payload(1000));
    BOOST_TEST((co_await next(client))->opcode == close_frame);
}

TYPHOON_GEN_TEST(invalid_utf8_in_text_closes_with_1007) {
    auto client = co_await raw("/echo");
    co_await client.send(text, "caf\xc3");  // a truncated two-byte sequence
    const auto frame = co_await next(client);
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST(frame->opcode == close_frame);
    BOOST_TEST(frame->close_code() == 1007);
    client.close();
    co_await seen.closed.wait();
}

TYPHOON_GEN_TEST(a_character_cut_by_an_empty_last_fragment_closes_with_1007) {
    auto client = co_await raw("/echo");
    // A whole character split across fragments, then an empty last one, is a message.
    co_await client.send(text, "caf\xc3", false);
    co_await client.send(continuation, "\xa9", false);
    co_await client.send(continuation, "");
    auto frame = co_await next(client);
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST(frame->opcode == text);
    BOOST_TEST(frame->payload == "caf\xc3\xa9");
    // The same message cut after the lead byte is no UTF-8, whichever frame carries the end.
    co_await client.send(text, "caf\xc3", false);
    co_await client.send(continuation, "");
    frame = co_await next(client);
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST(frame->opcode == close_frame);
    BOOST_TEST(frame->close_code() == 1007);
    client.close();
    co_await seen.closed.wait();
}

TYPHOON_GEN_TEST(an_unmasked_client_frame_closes_with_1002) {
    auto client = co_await raw("/echo");
    co_await client.send(text, "no mask", true, false);
    const auto frame = co_await next(client);
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST(frame->opcode == close_frame);
    BOOST_TEST(frame->close_code() == 1002);
    client.close();
    co_await seen.closed.wait();
}

TYPHOON_GEN_TEST(a_message_over_max_message_size_closes_with_1009) {
    auto client = co_await raw("/echo");
    co_await client.send(text, std::string(600, 'a'), false);
    co_await client.send(continuation, std::string(600, 'b'));  // 1200 bytes in all, over 1024
    const auto frame = co_await next(client);
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST(frame->opcode == close_frame);
    BOOST_TEST(frame->close_code() == 1009);
    client.close();
    co_await seen.closed.wait();
}

TYPHOON_GEN_TEST(the_client_closes_and_the_server_answers_then_hangs_up) {
    auto client = co_await raw("/echo");
    co_await client.send(close_frame, close_payload(4321, "done"));
    const auto frame = co_await next(client);
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST(frame->opcode == close_frame);
    BOOST_TEST(frame->close_code() == 4321);  // RFC 6455 §5.5.1: echoes the status code
    BOOST_TEST(!(co_await next(client)));     // then the server closes the TCP connection
    client.close();
    co_await seen.closed.wait();
    BOOST_TEST(seen.close_code.value_or(0) == 4321);
}

TYPHOON_GEN_TEST(the_server_closes_and_waits_for_the_answer) {
    auto client = co_await raw("/echo");
    co_await client.send(text, "close me");
    const auto frame = co_await next(client);
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST(frame->opcode == close_frame);
    BOOST_TEST(frame->close_code() == 4001);
    BOOST_TEST(frame->payload.substr(2) == "asked to");
    co_await client.send(close_frame, close_payload(4001));
    BOOST_TEST(!(co_await next(client)));
    client.close();
    co_await seen.closed.wait();
    BOOST_TEST(seen.close_code.value_or(0) == 4001);
}

TYPHOON_GEN_TEST(a_compressed_frame_announcing_2_to_the_56_bytes_costs_only_its_connection) {
    auto client = co_await raw("/deflate", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
    BOOST_TEST(client.response_headers.find("permessage-deflate") != std::string::npos);
    // FIN, RSV1 (compressed), binary; masked (a zero mask), 64-bit length 2^56; then the start of
    // a payload. Beast would have made room for the whole announced length at once.
    co_await client.send_bytes(
        std::string("\xc2\xff\x01\x00\x00\x00\x00\x00\x00\x00"
                    "\x00\x00\x00\x00"
                    "\x6a\x6e\xa7\x29\x00\x88\x07\x03\xe8"
                    "bye",
                    26));
    co_await client.send_bytes(std::string(70000, 'z'));  // more than one read's worth
    // The server goes on serving, while that connection waits for the rest and once it is gone.
    auto another = co_await raw("/echo");
    for (const char* message : {"still here", "and still"}) {
        co_await another.send(text, message);
        const auto frame = co_await next(another);
        BOOST_TEST_REQUIRE(frame.has_value());
        BOOST_TEST(frame->payload == message);
        client.close();
    }
}

TYPHOON_GEN_TEST(compression_is_negotiated_and_used_both_ways) {
    auto client = co_await raw("/deflate", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
    BOOST_TEST(client.response_headers.find("permessage-deflate") != std::string::npos);
    const std::string message(1000, 'x');  // under the app's max_message_size
    co_await client.send(text, message);
    const auto frame = co_await next(client);
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST(frame->rsv1);  // compressed
    BOOST_TEST(frame->payload.size() < 100);
    BOOST_TEST(inflate_message(frame->payload) == message);
    co_await client.send(close_frame, close_payload(1000));
    co_await next(client);

    // Typhoon's client compresses too, and reads what the server compressed.
    auto ws = co_await websocket::websocket_connect(
        "ws://127.0.0.1:" + std::to_string(get_http_port()) + "/deflate",
        {.compression_options = websocket::CompressionOptions{}});
    BOOST_TEST(ws->headers()
                   .get("Sec-WebSocket-Extensions")
                   .value_or("")
                   .starts_with("permessage-deflate"));
    co_await ws->write_message(message);
    BOOST_TEST((co_await ws->read_message())->data == message);
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
}

TYPHOON_GEN_TEST(no_compression_without_the_handlers_consent) {
    auto client = co_await raw("/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
    BOOST_TEST(client.response_headers.find("permessage-deflate") == std::string::npos);
    co_await client.send(close_frame, close_payload(1000));
    co_await next(client);
}

TYPHOON_GEN_TEST_TIMEOUT(a_peer_that_does_not_answer_pings_is_dropped, 15s) {
    auto client = co_await raw("/echo");  // RawClient never answers a ping
    int pings = 0;
    std::optional<Frame> frame;
    while ((frame = co_await client.read()) && frame->opcode == ping_frame)
        ++pings;
    BOOST_TEST(pings >= 2);
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST(frame->opcode == close_frame);
    BOOST_TEST(!(co_await client.read()));  // the server hangs up: it no longer waits for us
    client.close();
    co_await seen.closed.wait();
}

BOOST_AUTO_TEST_SUITE_END()
