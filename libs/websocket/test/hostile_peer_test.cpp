// What a hostile or broken peer can do to a WebSocket server, through real sockets: writes that
// outlive their handler or the caller's string, callbacks that throw, a peer that never reads,
// a peer that resets the connection while writes to it are pending. Each must cost that one
// connection and nothing else.
#include <typhoon/websocket/websocket_handler.hpp>

#include <typhoon/ioloop/gen.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/web.hpp>
#include <typhoon/websocket/websocket_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace typhoon;
using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace asio = boost::asio;
using asio::ip::tcp;
using websocket::Message;
using websocket::WebSocketClosedError;

namespace {

class RoomHandler;

/// What the handlers share with the tests.
struct State {
    std::set<RoomHandler*> room;
    int closed = 0;  // on_close() calls
    // Awaitables a handler obtained while it lived, awaited by the test after it is gone.
    std::optional<awaitable<void>> late_write, late_ping;
    // The outcomes of writes awaited by coroutines that outlive their handler.
    int writes_done = 0, writes_refused = 0;
};

/// Awaits a write that another coroutine started; it holds nothing of the handler.
awaitable<void> await_write(awaitable<void> write, State& state) {
    try {
        co_await std::move(write);
        ++state.writes_done;
    } catch (const WebSocketClosedError&) {
        ++state.writes_refused;
    }
}

/** Joins the room; "flood N SIZE" sends N messages of SIZE bytes to everyone in it without
    waiting for them (as Tornado's chat broadcasts), a round each millisecond so that a peer that
    reads keeps up; "rounds N SIZE" awaits each round of deliveries. */
class RoomHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    void initialize(State& state) { state_ = &state; }
    awaitable<void> open(const std::vector<std::string>&) override {
        state_->room.insert(this);
        co_return;
    }
    awaitable<void> on_message(Message message) override {
        int count = 0;
        std::size_t size = 0;
        char mode[16] = {};
        if (std::sscanf(message.data.c_str(), "%15s %d %zu", mode, &count, &size) != 3) co_return;
        if (std::string_view(mode) == "flood") {
            // On a coroutine of its own, so that this connection goes on reading (its pongs).
            asio::co_spawn(co_await asio::this_coro::executor, flood(*state_, count, size),
                           asio::detached);
            co_return;
        }
        for (int i = 0; i < count; ++i) {
            std::vector<awaitable<void>> round;
            for (auto* socket : state_->room)
                round.push_back(await_write(socket->write_message(payload(i, size)), *state_));
            co_await gen::multi(std::move(round));
        }
    }
    void on_close() override {
        state_->room.erase(this);
        ++state_->closed;
    }

private:
    static std::string payload(int i, std::size_t size) {
        std::string payload = std::to_string(i) + " ";
        payload.resize(size, 'x');
        return payload;
    }
    static awaitable<void> flood(State& state, int count, std::size_t size) {
        for (int i = 0; i < count; ++i) {
            for (auto* socket : state.room)
                static_cast<void>(socket->write_message(payload(i, size)));
            co_await gen::sleep(1ms);
        }
    }

    State* state_ = nullptr;
};

/** Writes a temporary string without awaiting at once; at "close me" it closes, and its
    on_close() leaves a write and a ping for the test to await once it is gone. */
class KeepHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    void initialize(State& state) { state_ = &state; }
    awaitable<void> on_message(Message message) override {
        if (message.data == "temporary") {
            auto pending = write_message(std::string(4000, 'a') + "end");
            // The temporary's memory, were it still referred to, goes to something else.
            const std::string other(4003, 'z');
            co_await gen::sleep(1ms);
            co_await std::move(pending);
            BOOST_TEST(other.size() == 4003u);
        }
    }
    void on_close() override {
        state_->late_write.emplace(write_message("after the end"));
        state_->late_ping.emplace(ping("after the end"));
        ++state_->closed;
    }

private:
    State* state_ = nullptr;
};

/// On open, writes 4 MiB to its peer in 64 messages, each awaited by a coroutine of its own that
/// outlives the handler.
class FloodHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    void initialize(State& state) { state_ = &state; }
    awaitable<void> open(const std::vector<std::string>&) override {
        const std::string chunk(64 * 1024, 'f');
        const auto executor = co_await asio::this_coro::executor;
        for (int i = 0; i < writes; ++i)
            asio::co_spawn(executor, await_write(write_message(chunk), *state_), asio::detached);
    }
    awaitable<void> on_message(Message) override { co_return; }
    void on_close() override { ++state_->closed; }
    static constexpr int writes = 64;

private:
    State* state_ = nullptr;
};

class EchoHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    awaitable<void> on_message(Message message) override {
        co_await write_message(std::move(message.data), {.binary = message.binary});
    }
};

class ThrowingOpenHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    awaitable<void> open(const std::vector<std::string>&) override {
        throw std::runtime_error("open failed");
        co_return;
    }
    awaitable<void> on_message(Message) override { co_return; }
};

class ThrowingMessageHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    awaitable<void> on_message(Message) override {
        throw std::runtime_error("on_message failed");
        co_return;
    }
};

class ThrowingPingHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    awaitable<void> on_message(Message) override { co_return; }
    void on_ping(std::string_view) override { throw std::runtime_error("on_ping failed"); }
};

class ThrowingPongHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    awaitable<void> open(const std::vector<std::string>&) override { co_await ping("are you?"); }
    awaitable<void> on_message(Message) override { co_return; }
    void on_pong(std::string_view) override { throw std::runtime_error("on_pong failed"); }
};

class ThrowingConnectionCloseHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    void initialize(State& state) { state_ = &state; }
    awaitable<void> on_message(Message) override { co_return; }
    void on_connection_close() override { throw std::runtime_error("on_connection_close failed"); }
    void on_close() override { ++state_->closed; }

private:
    State* state_ = nullptr;
};

/** A peer that completes the handshake, then never reads: its receive buffer is small, so the
    server's writes to it stall after a few frames. */
struct StalledPeer {
    tcp::socket socket;
    std::string received;  // what was read with the 101 answer

    static awaitable<StalledPeer> connect(std::uint16_t port, std::string_view path) {
        tcp::socket socket(co_await asio::this_coro::executor);
        socket.open(tcp::v4());
        socket.set_option(tcp::socket::receive_buffer_size(4096));
        co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port},
                                      asio::use_awaitable);
        const std::string request = "GET " + std::string(path) +
                                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                    "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        co_await asio::async_write(socket, asio::buffer(request), asio::use_awaitable);
        std::string received;
        const auto end = co_await asio::async_read_until(socket, asio::dynamic_buffer(received),
                                                         "\r\n\r\n", asio::use_awaitable);
        BOOST_REQUIRE(received.starts_with("HTTP/1.1 101"));
        received.erase(0, end);
        co_return StalledPeer{std::move(socket), std::move(received)};
    }

    /// Ends the connection with a TCP reset rather than a FIN.
    void reset() {
        socket.set_option(asio::socket_base::linger(true, 0));
        socket.close();
    }

    /** Reads at last, until the server closes the socket or sends a close frame: the opcode of
        the last whole frame, and the close frame's status code if it was one. */
    awaitable<std::pair<int, int>> read_to_end() {
        std::pair<int, int> last{0, 0};
        std::size_t at = 0;
        for (;;) {
            // Server frames are unmasked: 2 bytes, then 2 or 8 bytes of length for long ones.
            while (received.size() - at >= 2) {
                const auto byte = [&](std::size_t i) {
                    return static_cast<unsigned char>(received[at + i]);
                };
                std::size_t header = 2, length = byte(1) & 0x7f;
                if (length == 126) {
                    header = 4;
                    if (received.size() - at < 4) break;
                    length = (std::size_t(byte(2)) << 8) | byte(3);
                } else if (length == 127) {
                    header = 10;
                    if (received.size() - at < 10) break;
                    length = 0;
                    for (int i = 2; i < 10; ++i)
                        length = (length << 8) | byte(i);
                }
                if (received.size() - at < header + length) break;
                const int opcode = byte(0) & 0x0f;
                last = {opcode,
                        opcode == 8 && length >= 2 ? (byte(header) << 8) | byte(header + 1) : 0};
                at += header + length;
                if (opcode == 8) co_return last;
            }
            char chunk[65536];
            auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk),
                                                           asio::as_tuple(asio::use_awaitable));
            if (ec) co_return last;
            received.append(chunk, n);
        }
    }
};

struct HostilePeerTest : testing::AsyncHTTPTestCase {
    State state;
    web::Settings settings;

    web::Application get_app() override {
        return web::Application(
            {
                web::url<RoomHandler>("/room", {}, std::ref(state)),
                web::url<KeepHandler>("/keep", {}, std::ref(state)),
                web::url<FloodHandler>("/flood", {}, std::ref(state)),
                web::url<EchoHandler>("/echo"),
                web::url<ThrowingOpenHandler>("/throwing_open"),
                web::url<ThrowingMessageHandler>("/throwing_message"),
                web::url<ThrowingPingHandler>("/throwing_ping"),
                web::url<ThrowingPongHandler>("/throwing_pong"),
                web::url<ThrowingConnectionCloseHandler>("/throwing_connection_close", {},
                                                         std::ref(state)),
            },
            settings);
    }
    std::string ws_url(const std::string& path) const {
        return "ws://127.0.0.1:" + std::to_string(get_http_port()) + path;
    }
    std::uint16_t port() const { return static_cast<std::uint16_t>(get_http_port()); }

    /// Lets the loop run until `done()`, or fails after `limit`.
    template <class Done>
    static awaitable<void> until(Done done, std::chrono::milliseconds limit = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            const bool in_time = std::chrono::steady_clock::now() < deadline;
            BOOST_REQUIRE_MESSAGE(in_time, "never happened");
            co_await gen::sleep(1ms);
        }
    }

    /// A client on /echo still gets its echo: the server is alive.
    awaitable<void> echo_still_works() {
        auto ws = co_await websocket::websocket_connect(ws_url("/echo"));
        co_await ws->write_message("still here");
        const auto reply = co_await ws->read_message();
        BOOST_TEST_REQUIRE(reply.has_value());
        BOOST_TEST(reply->data == "still here");
        ws->close();
        BOOST_TEST(!(co_await ws->read_message()));
    }

    /// Reads `count` messages of `size` bytes from `ws`, in order.
    static awaitable<void> receive_all(websocket::WebSocketClientConnection& ws, int count,
                                       std::size_t size) {
        for (int i = 0; i < count; ++i) {
            const auto message = co_await ws.read_message();
            BOOST_TEST_REQUIRE(message.has_value());
            BOOST_TEST_REQUIRE(message->data.size() == size);
            BOOST_TEST_REQUIRE(message->data.starts_with(std::to_string(i) + " "));
        }
    }
};

/// A small outbound limit, and no write timeout.
struct OutboundLimitTest : HostilePeerTest {
    OutboundLimitTest() {
        settings.extra["websocket_max_outbound_bytes"] = 256 * 1024;
        settings.extra["websocket_write_timeout"] = 0;
    }
};

/// A short write timeout, and no outbound limit.
struct WriteTimeoutTest : HostilePeerTest {
    WriteTimeoutTest() {
        settings.extra["websocket_max_outbound_bytes"] = 0;
        settings.extra["websocket_write_timeout"] = 0.3;
    }
};

/// Quick keep-alive pings, and neither limit.
struct PingTest : HostilePeerTest {
    PingTest() {
        settings.extra["websocket_max_outbound_bytes"] = 0;
        settings.extra["websocket_write_timeout"] = 0;
        settings.extra["websocket_ping_interval"] = 0.1;
        settings.extra["websocket_ping_timeout"] = 0.3;
    }
};

/// Reads `ws` until it closes, counting the messages.
awaitable<void> count_messages(websocket::WebSocketClientConnection& ws, int& count, bool& ended) {
    while (co_await ws.read_message())
        ++count;
    ended = true;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(hostile_peer_test, HostilePeerTest)

TYPHOON_GEN_TEST(a_write_not_yet_awaited_owns_its_message) {
    auto ws = co_await websocket::websocket_connect(ws_url("/keep"));
    co_await ws->write_message("temporary");
    const auto reply = co_await ws->read_message();
    BOOST_TEST_REQUIRE(reply.has_value());
    BOOST_TEST(reply->data == std::string(4000, 'a') + "end");
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
}

TYPHOON_GEN_TEST(writes_and_pings_after_the_end_raise_websocket_closed_error) {
    auto ws = co_await websocket::websocket_connect(ws_url("/keep"));
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
    co_await until([&] { return state.closed == 1; });
    // The handler is gone; what it returned still refers to live state, and says closed.
    co_await gen::sleep(10ms);
    BOOST_REQUIRE(state.late_write && state.late_ping);
    BOOST_CHECK_THROW(co_await std::move(*state.late_write), WebSocketClosedError);
    BOOST_CHECK_THROW(co_await std::move(*state.late_ping), WebSocketClosedError);
    BOOST_CHECK_THROW(co_await ws->write_message("late"), WebSocketClosedError);
    BOOST_CHECK_THROW(co_await ws->ping(), WebSocketClosedError);
}

TYPHOON_GEN_TEST(an_exception_in_open_or_on_message_ends_only_its_connection) {
    for (const char* path : {"/throwing_open", "/throwing_message"}) {
        testing::ExpectLog logged{
            log::app_log, std::string("Uncaught exception GET ") + path + " \\(127.0.0.1\\)"};
        auto ws = co_await websocket::websocket_connect(ws_url(path));
        static_cast<void>(ws->write_message("hello"));
        BOOST_TEST(!(co_await ws->read_message()), path);
        co_await echo_still_works();
        BOOST_TEST(logged.matched() == 1, path);
    }
}

TYPHOON_GEN_TEST(an_exception_in_on_ping_ends_only_its_connection) {
    testing::ExpectLog logged{log::app_log,
                              "Uncaught exception GET /throwing_ping \\(127.0.0.1\\)"};
    auto ws = co_await websocket::websocket_connect(ws_url("/throwing_ping"));
    static_cast<void>(ws->ping("hello"));
    BOOST_TEST(!(co_await ws->read_message()));
    co_await echo_still_works();
    BOOST_TEST(logged.matched() == 1);
}

TYPHOON_GEN_TEST(an_exception_in_on_pong_ends_only_its_connection) {
    testing::ExpectLog logged{log::app_log,
                              "Uncaught exception GET /throwing_pong \\(127.0.0.1\\)"};
    auto ws = co_await websocket::websocket_connect(ws_url("/throwing_pong"));
    // Reading answers the server's ping; its on_pong() then fails.
    BOOST_TEST(!(co_await ws->read_message()));
    co_await echo_still_works();
    BOOST_TEST(logged.matched() == 1);
}

TYPHOON_GEN_TEST(an_exception_in_on_connection_close_is_logged_and_on_close_still_runs) {
    testing::ExpectLog logged{log::app_log,
                              "Uncaught exception GET /throwing_connection_close \\(127.0.0.1\\)"};
    auto ws = co_await websocket::websocket_connect(ws_url("/throwing_connection_close"));
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
    co_await until([&] { return state.closed == 1; });
    co_await echo_still_works();
    BOOST_TEST(logged.matched() == 1);
}

BOOST_FIXTURE_TEST_SUITE(outbound_limit, OutboundLimitTest)

TYPHOON_GEN_TEST_TIMEOUT(a_peer_that_never_reads_is_closed_with_1008_past_the_outbound_limit, 30s) {
    testing::ExpectLog logged{log::gen_log,
                              "GET /room \\(127.0.0.1\\) closed with 1008: peer "
                              "is not reading.*websocket_max_outbound_bytes"};
    auto stalled = co_await StalledPeer::connect(port(), "/room");
    auto reader = co_await websocket::websocket_connect(ws_url("/room"));
    co_await until([&] { return state.room.size() == 2; });
    const auto start = std::chrono::steady_clock::now();
    // More than the kernel buffers for the stalled peer (its send buffer grows to 4 MiB).
    co_await reader->write_message("flood 600 16384");
    co_await receive_all(*reader, 600, 16384);
    BOOST_TEST((std::chrono::steady_clock::now() - start < 3s));
    BOOST_TEST(logged.matched() == 1);
    // Reading at last, the stalled peer finds the close frame after what was already on its way.
    const auto [opcode, code] = co_await stalled.read_to_end();
    BOOST_TEST(opcode == 8);
    BOOST_TEST(code == 1008);
    co_await until([&] { return state.room.size() == 1; }, 10s);
    reader->close();
    BOOST_TEST(!(co_await reader->read_message()));
    BOOST_TEST(logged.matched() == 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(write_timeout, WriteTimeoutTest)

TYPHOON_GEN_TEST_TIMEOUT(a_peer_that_takes_no_write_within_write_timeout_is_dropped, 30s) {
    testing::ExpectLog logged{
        log::gen_log, "GET /room \\(127.0.0.1\\) dropped: .*websocket_write_timeout \\(300 ms\\)"};
    auto stalled = co_await StalledPeer::connect(port(), "/room");
    auto reader = co_await websocket::websocket_connect(ws_url("/room"));
    co_await until([&] { return state.room.size() == 2; });
    const auto start = std::chrono::steady_clock::now();
    // Each round waits for every delivery: the stalled peer holds the rounds up until dropped.
    co_await reader->write_message("rounds 400 16384");
    co_await receive_all(*reader, 400, 16384);
    BOOST_TEST((std::chrono::steady_clock::now() - start < 3s));
    co_await until([&] { return state.room.size() == 1; });
    BOOST_TEST(logged.matched() == 1);
    BOOST_TEST(state.writes_refused >= 1);
    // Dropped: no close frame could follow the frame that stalled.
    const auto [opcode, code] = co_await stalled.read_to_end();
    BOOST_TEST(opcode != 8);
    reader->close();
    BOOST_TEST(!(co_await reader->read_message()));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(pings, PingTest)

TYPHOON_GEN_TEST_TIMEOUT(a_ping_timeout_is_noticed_behind_a_write_the_peer_does_not_take, 30s) {
    testing::ExpectLog logged{log::gen_log, "GET /room \\(127.0.0.1\\) ping timeout"};
    auto stalled = co_await StalledPeer::connect(port(), "/room");
    auto reader = co_await websocket::websocket_connect(ws_url("/room"));
    co_await until([&] { return state.room.size() == 2; });
    int received = 0;
    bool ended = false;
    asio::co_spawn(co_await asio::this_coro::executor, count_messages(*reader, received, ended),
                   asio::detached);
    co_await reader->write_message("flood 600 16384");
    co_await until([&] { return received == 600 || ended; });
    BOOST_TEST_REQUIRE(received == 600);
    // The stalled peer answers no ping: closed after 300 ms, dropped 5 s later as its close frame
    // cannot get past the stalled write. The reader answers every ping, and stays.
    co_await until([&] { return state.room.size() == 1; }, 10s);
    BOOST_TEST(logged.matched() == 1);
    BOOST_TEST(!ended);
    reader->close();
    co_await until([&] { return ended; });
}

BOOST_AUTO_TEST_SUITE_END()

TYPHOON_GEN_TEST_TIMEOUT(a_peer_that_resets_while_writes_to_it_are_pending_costs_nothing, 300s) {
    constexpr int rounds = 1000;
    for (int i = 0; i < rounds; ++i) {
        auto peer = co_await StalledPeer::connect(port(), "/flood");
        peer.reset();
        co_await until([&] { return state.closed == i + 1; });
    }
    // Every write left waiting learnt how it ended.
    co_await until(
        [&] { return state.writes_done + state.writes_refused == rounds * FloodHandler::writes; });
    // Most were still waiting when the reset came (all of them, on a quiet machine).
    BOOST_TEST(state.writes_refused > 0);
    co_await echo_still_works();
}

BOOST_AUTO_TEST_SUITE_END()
