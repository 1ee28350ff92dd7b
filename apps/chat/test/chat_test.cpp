#include "chat_fixture.hpp"

#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/net/tcp_client.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/websocket.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

namespace {
using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace httpclient = typhoon::httpclient;

using chat_test::Bodies;
using chat_test::ChatFixture;
}  // namespace

BOOST_FIXTURE_TEST_SUITE(chat_test, ChatFixture)

BOOST_AUTO_TEST_CASE(the_front_page_links_both_chats) {
    const auto response = fetch("/");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body.find("href=\"/poll\"") != std::string::npos);
    BOOST_TEST(response.body.find("href=\"/socket\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_page_has_the_form_token_and_its_scripts) {
    const auto body = fetch("/poll").body;
    BOOST_TEST(body.find("<input type=\"hidden\" name=\"_xsrf\" value=\"2|") != std::string::npos);
    BOOST_TEST(std::regex_search(body, std::regex(R"(/static/long_polling\.js\?v=[0-9a-f]+)")));
    BOOST_TEST(fetch("/static/long_polling.js").code == 200);
    BOOST_TEST(fetch("/static/chat.css").code == 200);
}

BOOST_AUTO_TEST_CASE(the_websocket_page_has_the_form_and_its_script) {
    const auto body = fetch("/socket").body;
    BOOST_TEST(body.find("<form method=\"post\" id=\"messageform\">") != std::string::npos);
    BOOST_TEST(std::regex_search(body, std::regex(R"(/static/websocket\.js\?v=[0-9a-f]+)")));
}

BOOST_AUTO_TEST_CASE(a_new_message_is_answered_as_json_with_its_html) {
    const auto message = post_message("see http://tornadoweb.org & <b>");
    BOOST_TEST(message.at("id").as_string().size() == 36u);  // a UUID
    BOOST_TEST(message.at("body").as_string() == "see http://tornadoweb.org & <b>");
    BOOST_TEST(message.at("html").as_string() ==
               "<div class=\"message\" id=\"m" + std::string(message.at("id").as_string()) +
                   "\">see <a href=\"http://tornadoweb.org\">http://tornadoweb.org</a> &amp; "
                   "&lt;b&gt;</div>\n");
}

BOOST_AUTO_TEST_CASE(the_page_shows_the_messages_posted_before) {
    post_message("first <i>");
    const auto body = fetch("/poll").body;
    BOOST_TEST(body.find(">first &lt;i&gt;</div>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(posts_without_the_xsrf_token_are_refused) {
    typhoon::testing::ExpectLog expected{typhoon::log::gen_log, "'_xsrf' argument missing"};
    BOOST_TEST(fetch("/a/message/new", post("/a/message/new", "body=hi", false)).code == 403);
    BOOST_TEST(fetch("/a/message/updates", post("/a/message/updates", "", false)).code == 403);
    BOOST_TEST(here.messages.cache().empty());
}

BOOST_AUTO_TEST_CASE(an_empty_message_is_a_400) {
    typhoon::testing::ExpectLog expected{typhoon::log::gen_log, "empty message"};
    BOOST_TEST(fetch("/a/message/new", post("/a/message/new", "body=%20")).code == 400);
}

BOOST_AUTO_TEST_CASE(next_redirects_to_a_local_page_only) {
    auto local = fetch("/a/message/new", post("/a/message/new", "body=a&next=/poll"));
    BOOST_TEST(local.code == 302);
    BOOST_TEST(*local.headers.get("Location") == "/poll");
    // Elsewhere is refused for the front page; browsers read `\` as `/`, so `/\host` and
    // `\\host` are other sites too.
    int posted = 1;
    for (const std::string next : {"//evil.example/", "/%5Cevil.example/", "%5C%5Cevil.example",
                                   "https://evil.example/", "/%09/evil.example"}) {
        auto elsewhere = fetch("/a/message/new", post("/a/message/new", "body=b&next=" + next));
        ++posted;
        BOOST_TEST(elsewhere.code == 302, next);
        BOOST_TEST(elsewhere.headers.get("Location", "") == "/", next);
    }
    BOOST_TEST(here.messages.cache().size() == static_cast<std::size_t>(posted));
}

BOOST_AUTO_TEST_CASE(updates_after_a_cursor_come_at_once) {
    const auto first = post_message("one");
    post_message("two");
    post_message("three");
    BOOST_TEST(
        updates("cursor=" + std::string(first.at("id").as_string())) == (Bodies{"two", "three"}),
        boost::test_tools::per_element());
    BOOST_TEST(updates("") == (Bodies{"one", "two", "three"}), boost::test_tools::per_element());
    BOOST_TEST(updates("cursor=forgotten") == (Bodies{"one", "two", "three"}),
               boost::test_tools::per_element());
}

TYPHOON_GEN_TEST(a_waiting_poll_is_answered_by_the_next_post) {
    const auto seen = co_await http_client().fetch(post("/a/message/new", "body=seen"));
    const std::string cursor =
        "cursor=" + std::string(typhoon::escape::json_decode(seen.body).at("id").as_string());
    auto poll = [&]() -> awaitable<httpclient::HTTPResponse> {
        co_return co_await http_client().fetch(post("/a/message/updates", cursor));
    };
    auto talk = [&]() -> awaitable<httpclient::HTTPResponse> {
        co_await until_waiters(1);  // the poll is parked on the room's condition
        co_return co_await http_client().fetch(post("/a/message/new", "body=news"));
    };
    const auto [polled, posted] = co_await typhoon::gen::multi(poll(), talk());
    BOOST_TEST(posted.code == 200);
    BOOST_TEST(polled.code == 200);
    const auto messages = typhoon::escape::json_decode(polled.body).at("messages").as_array();
    BOOST_REQUIRE(messages.size() == 1u);
    BOOST_TEST(messages.at(0).at("body").as_string() == "news");
    BOOST_TEST(messages.at(0).at("id") == typhoon::escape::json_decode(posted.body).at("id"));
    BOOST_TEST(here.messages.waiters() == 0u);
}

TYPHOON_GEN_TEST(every_waiting_poll_wakes) {
    auto poll = [&]() -> awaitable<httpclient::HTTPResponse> {
        co_return co_await http_client().fetch(post("/a/message/updates", ""));
    };
    auto talk = [&]() -> awaitable<httpclient::HTTPResponse> {
        co_await until_waiters(3);
        co_return co_await http_client().fetch(post("/a/message/new", "body=hello+all"));
    };
    const auto [a, b, c, posted] = co_await typhoon::gen::multi(poll(), poll(), poll(), talk());
    BOOST_TEST(posted.code == 200);
    for (const auto* response : {&a, &b, &c}) {
        const auto messages =
            typhoon::escape::json_decode(response->body).at("messages").as_array();
        BOOST_TEST(messages.size() == 1u);
        BOOST_TEST(messages.at(0).at("body").as_string() == "hello all");
    }
}

TYPHOON_GEN_TEST(the_long_polling_and_the_websocket_pages_are_one_chat) {
    auto socket = co_await typhoon::websocket::websocket_connect(
        "ws://127.0.0.1:" + std::to_string(get_http_port()) + "/chatsocket");
    for (int i = 0; here.sockets.size() != 1; ++i) {
        BOOST_REQUIRE(i < 500);
        co_await typhoon::gen::sleep(10ms);
    }
    const auto posted = co_await http_client().fetch(post("/a/message/new", "body=from+a+poll"));
    BOOST_REQUIRE(posted.code == 200);
    const auto polled = typhoon::escape::json_decode(posted.body);
    auto received = co_await socket->read_message();
    BOOST_REQUIRE(received);
    BOOST_TEST(typhoon::escape::json_decode(received->data) == polled);

    co_await socket->write_message(R"({"body": "from a socket"})");
    BOOST_REQUIRE(co_await socket->read_message());  // the sender's own copy
    const auto updates = co_await http_client().fetch(
        post("/a/message/updates", "cursor=" + std::string(polled.at("id").as_string())));
    const auto messages = typhoon::escape::json_decode(updates.body).at("messages").as_array();
    BOOST_REQUIRE(messages.size() == 1u);
    BOOST_TEST(messages.at(0).at("body").as_string() == "from a socket");
    socket->close();
    while (co_await socket->read_message()) {
    }
}

TYPHOON_GEN_TEST(a_client_that_leaves_stops_waiting) {
    auto stream = co_await typhoon::tcpclient::TCPClient().connect("127.0.0.1", get_http_port());
    const std::string form = "_xsrf=" + typhoon::escape::url_escape(xsrf());
    co_await stream->write(
        "POST /a/message/updates HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Cookie: _xsrf=" +
        xsrf() +
        "\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: " +
        std::to_string(form.size()) + "\r\n\r\n" + form);
    co_await until_waiters(1);
    stream->close();  // the browser tab is closed
    co_await until_waiters(0);
    // The teardown fails the test if the handler's coroutine is still suspended somewhere.
}

BOOST_AUTO_TEST_SUITE_END()
