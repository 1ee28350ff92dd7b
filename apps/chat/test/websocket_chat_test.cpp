#include "websocket_chat.hpp"

#include "chat_app.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/websocket.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace {
using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace websocket = typhoon::websocket;

struct WebSocketChatFixture : typhoon::testing::AsyncHTTPTestCase {
    chat::Rooms rooms;
    typhoon::web::Application get_app() override { return chat::make_app(CHAT_APP_ROOT, rooms); }

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

    /// Lets the loop run until the room holds `n` sockets, or fails after 5 s.
    awaitable<void> until_sockets(std::size_t n) {
        for (int i = 0; rooms.websocket.size() != n; ++i) {
            BOOST_REQUIRE_MESSAGE(
                i < 500, "the room has " << rooms.websocket.size() << " sockets, not " << n);
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
    BOOST_REQUIRE(rooms.websocket.cache().size() == 1u);
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
    BOOST_TEST(rooms.websocket.cache().empty());
    co_await until_sockets(0);
}

BOOST_AUTO_TEST_SUITE_END()
