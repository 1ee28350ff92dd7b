#include "websocket_chat.hpp"

#include "chat_app.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/websocket.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace {
using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace websocket = typhoon::websocket;
using boost::asio::ip::tcp;

struct WebSocketChatFixture : typhoon::testing::AsyncHTTPTestCase {
    chat::Chat here;
    typhoon::web::Application get_app() override { return chat::make_app(CHAT_APP_ROOT, here); }

    awaitable<std::unique_ptr<websocket::WebSocketClientConnection>> join() {
        auto socket = co_await websocket::websocket_connect(
            "ws://127.0.0.1:" + std::to_string(get_http_port()) + "/chatsocket");
        co_return socket;
    }

    /// Closes `socket` and waits for the end of the closing handshake (messages still on their
    /// way are dropped).
    static awaitable<void> leave(websocket::WebSocketClientConnection& socket) {
        socket.close();
        while (co_await socket.read_message()) {
        }
    }

    /** A chat socket that completes the handshake, then never reads: a browser tab frozen by
        its machine. Its receive buffer is small, so the server's writes stall soon. */
    awaitable<tcp::socket> join_without_reading() {
        tcp::socket socket(co_await boost::asio::this_coro::executor);
        socket.open(tcp::v4());
        socket.set_option(tcp::socket::receive_buffer_size(4096));
        co_await socket.async_connect({boost::asio::ip::make_address("127.0.0.1"),
                                       static_cast<std::uint16_t>(get_http_port())},
                                      boost::asio::use_awaitable);
        const std::string request =
            "GET /chatsocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        co_await boost::asio::async_write(socket, boost::asio::buffer(request),
                                          boost::asio::use_awaitable);
        std::string answer;
        co_await boost::asio::async_read_until(socket, boost::asio::dynamic_buffer(answer),
                                               "\r\n\r\n", boost::asio::use_awaitable);
        BOOST_REQUIRE(answer.starts_with("HTTP/1.1 101"));
        co_return socket;
    }

    /// What keep_reading() saw.
    struct Reading {
        int count = 0;
        bool ended = false;
    };

    /// Reads messages from `socket` as they come, counting them, until it closes.
    static awaitable<void> keep_reading(websocket::WebSocketClientConnection& socket,
                                        Reading& reading) {
        while (co_await socket.read_message())
            ++reading.count;
        reading.ended = true;
    }

    /// Lets the loop run until `done()`, or fails after `limit`.
    template <class Done>
    static awaitable<void> until(Done done, std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            const bool in_time = std::chrono::steady_clock::now() < deadline;
            BOOST_REQUIRE_MESSAGE(in_time, "never happened");
            co_await typhoon::gen::sleep(1ms);
        }
    }

    /// Lets the loop run until the room holds `n` sockets, or fails after `limit`.
    awaitable<void> until_sockets(std::size_t n, std::chrono::milliseconds limit = 5s) {
        for (int i = 0; here.sockets.size() != n; ++i) {
            BOOST_REQUIRE_MESSAGE(i < limit / 10ms,
                                  "the room has " << here.sockets.size() << " sockets, not " << n);
            co_await typhoon::gen::sleep(10ms);
        }
    }

    static boost::json::object decode(const std::optional<websocket::Message>& message) {
        BOOST_REQUIRE(message.has_value());
        BOOST_TEST(!message->binary);
        return typhoon::escape::json_decode(message->data).as_object();
    }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(websocket_chat_test, WebSocketChatFixture)

TYPHOON_GEN_TEST(a_message_reaches_every_socket_the_sender_too) {
    auto alice = co_await join();
    auto bob = co_await join();
    co_await until_sockets(2);
    co_await alice->write_message(R"({"body": "hi <b>bob</b> http://tornadoweb.org"})");
    const auto to_alice = decode(co_await alice->read_message());
    const auto to_bob = decode(co_await bob->read_message());
    BOOST_TEST(to_bob == to_alice);
    BOOST_TEST(to_bob.at("body").as_string() == "hi <b>bob</b> http://tornadoweb.org");
    BOOST_TEST(to_bob.at("id").as_string().size() == 36u);
    BOOST_TEST(to_bob.at("html").as_string() ==
               "<div class=\"message\" id=\"m" + std::string(to_bob.at("id").as_string()) +
                   "\">hi &lt;b&gt;bob&lt;/b&gt; <a "
                   "href=\"http://tornadoweb.org\">http://tornadoweb.org</a></div>\n");
    co_await leave(*alice);
    co_await leave(*bob);
    co_await until_sockets(0);
}

TYPHOON_GEN_TEST(messages_are_cached_for_the_next_page) {
    auto alice = co_await join();
    co_await alice->write_message(R"({"body": "for later"})");
    decode(co_await alice->read_message());
    BOOST_REQUIRE(here.messages.cache().size() == 1u);
    const auto page = co_await http_client().fetch(get_url("/socket"));
    BOOST_TEST(page.body.find(">for later</div>") != std::string::npos);
    co_await leave(*alice);
    co_await until_sockets(0);
}

TYPHOON_GEN_TEST(a_socket_that_closes_leaves_the_room) {
    auto alice = co_await join();
    auto bob = co_await join();
    co_await until_sockets(2);
    co_await leave(*bob);
    co_await until_sockets(1);
    co_await alice->write_message(R"({"body": "anyone?"})");
    BOOST_TEST(decode(co_await alice->read_message()).at("body").as_string() == "anyone?");
    co_await leave(*alice);
    co_await until_sockets(0);
}

TYPHOON_GEN_TEST(anything_but_a_body_closes_the_socket_with_1007) {
    typhoon::testing::ExpectLog expected{typhoon::log::app_log, "closing a chat socket"};
    for (const char* bad : {"not json", R"({"text": "x"})", R"({"body": ""})", "[1]"}) {
        auto socket = co_await join();
        co_await socket->write_message(bad);
        BOOST_TEST(!(co_await socket->read_message()).has_value(), bad);
        BOOST_TEST(socket->close_code().value_or(0) == 1007, bad);
    }
    BOOST_TEST(here.messages.cache().empty());
    co_await until_sockets(0);
}

BOOST_AUTO_TEST_CASE(the_chat_pings_its_sockets_and_bounds_what_a_slow_one_holds) {
    // A ping every 30 s is too slow to watch here; the frozen socket below shows the limits.
    const auto app = get_app();
    const auto& settings = app.settings().extra;
    BOOST_TEST(settings.at("websocket_ping_interval") == 30);
    BOOST_TEST(settings.at("websocket_max_outbound_bytes") == 1024 * 1024);
    BOOST_TEST(settings.at("websocket_write_timeout") == 10);
}

TYPHOON_GEN_TEST_TIMEOUT(a_socket_that_never_reads_does_not_delay_the_others, 40s) {
    typhoon::testing::ExpectLog closed{typhoon::log::gen_log,
                                       "GET /chatsocket \\(127.0.0.1\\) closed with 1008"};
    auto stalled = co_await join_without_reading();
    auto alice = co_await join();
    auto bob = co_await join();
    co_await until_sockets(3);
    const auto executor = co_await boost::asio::this_coro::executor;
    Reading to_alice, to_bob;
    boost::asio::co_spawn(executor, keep_reading(*alice, to_alice), boost::asio::detached);
    boost::asio::co_spawn(executor, keep_reading(*bob, to_bob), boost::asio::detached);
    // Ten megabytes in all: far more than the kernel buffers for the frozen socket.
    constexpr int messages = 600;
    const std::string body(8192, 'x');
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < messages; ++i)
        co_await alice->write_message(R"({"body": ")" + std::to_string(i) + " " + body + R"("})");
    co_await until([&] { return to_alice.count == messages && to_bob.count == messages; }, 20s);
    // Had anyone waited for the frozen socket, it would have taken its write timeout (10 s).
    BOOST_TEST((std::chrono::steady_clock::now() - start < 8s));
    // The frozen socket was closed, and left the room.
    co_await until_sockets(2, 15s);
    BOOST_TEST(closed.matched() == 1);
    alice->close();
    bob->close();
    co_await until([&] { return to_alice.ended && to_bob.ended; }, 5s);
    co_await until_sockets(0);
}

BOOST_AUTO_TEST_SUITE_END()
