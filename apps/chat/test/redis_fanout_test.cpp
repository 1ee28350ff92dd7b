#include "redis_fanout.hpp"

#include "chat_fixture.hpp"

#include <typhoon/redis/client.hpp>
#include <typhoon/testing/redis_server.hpp>
#include <typhoon/websocket.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace {
using namespace std::chrono_literals;
using boost::asio::awaitable;
using chat_test::Bodies;
namespace json = boost::json;
namespace httpclient = typhoon::httpclient;
namespace redis = typhoon::redis;
namespace websocket = typhoon::websocket;
using typhoon::testing::RedisServer;

/// The ids of a chat's cache, oldest first: what two processes must agree on for a long-poll
/// cursor from one to mean the same in the other.
std::vector<std::string> ids(const json::array& cache) {
    std::vector<std::string> result;
    for (const auto& message : cache)
        result.emplace_back(message.at("id").as_string());
    return result;
}

Bodies bodies(const json::array& cache) {
    Bodies result;
    for (const auto& message : cache)
        result.emplace_back(message.at("body").as_string());
    return result;
}

/// A message as make_message() builds it, made outside a request (the html is not checked here).
json::object message(const std::string& id, const std::string& body) {
    return {{"id", id}, {"body", body}, {"html", "<div>" + body + "</div>"}};
}

/** The chat served by this test's application (`here`: this process) and a second chat on the
    same Redis without HTTP (`there`: another process, as far as the fanouts can tell), each
    with its fanout. Each test has lists and channels of its own (a prefix of its own). */
struct RedisChatFixture : chat_test::ChatFixture {
    RedisServer& server = RedisServer::instance();
    std::string prefix;
    std::optional<chat::RedisFanout> fanout;
    chat::Chat there;
    std::optional<chat::RedisFanout> other;

    RedisChatFixture() {
        static std::atomic<int> tests{0};
        prefix = "chat-test-" + std::to_string(++tests);
        server.resume();  // a test that killed the shared server leaves it running for the next
        if (!server.running()) server.start();
    }
    void setup() {
        ChatFixture::setup();
        fanout.emplace(server.url(), here, prefix);
        other.emplace(server.url(), there, prefix);
        run_until([&]() -> awaitable<void> {
            co_await fanout->start();
            co_await other->start();
        });
    }
    void teardown() {
        other->stop();
        fanout->stop();
        wait(50ms);  // the relays see the stop and end, so no coroutine is left behind
        ChatFixture::teardown();
    }

    /// Lets the loop run until `done()`, or fails after 5 s naming `what`.
    template <class F>
    awaitable<void> until(F done, const std::string& what) {
        for (int i = 0; !done(); ++i) {
            BOOST_REQUIRE_MESSAGE(i < 500, "after 5 s, still not: " << what);
            co_await typhoon::gen::sleep(10ms);
        }
    }
    template <class F>
    void wait_until(F done, const std::string& what) {
        run_until([&]() -> awaitable<void> { co_await until(done, what); });
    }

    /// A command on the test's own connection (what another program would do to Redis).
    json::array redis_list() {
        return run_until([&]() -> awaitable<json::array> {
            redis::Client client(server.url());
            json::array result;
            const auto reply = co_await client.command("LRANGE", prefix + ":messages", 0, -1);
            for (const auto& entry : reply.as_array())
                result.push_back(typhoon::escape::json_decode(entry.as_string()));
            co_return result;
        });
    }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(redis_fanout_test, RedisChatFixture,
                         *boost::unit_test::precondition(typhoon::testing::redis_is_running))

BOOST_AUTO_TEST_CASE(a_message_posted_here_reaches_the_other_process_and_comes_back_here) {
    const auto posted = post_message("hello from here");
    wait_until([&] { return there.messages.cache().size() == 1; },
               "the other process has the message");
    wait_until([&] { return here.messages.cache().size() == 1; },
               "this process has it back from Redis");
    BOOST_TEST(there.messages.cache().at(0).as_object() == posted);
    BOOST_TEST(here.messages.cache().at(0).as_object() == posted);
    // Kept in Redis, for a process that starts later.
    BOOST_TEST(redis_list().at(0).as_object() == posted);
}

BOOST_AUTO_TEST_CASE(a_cursor_from_one_process_means_the_same_in_the_other) {
    run_until([&]() -> awaitable<void> {
        for (const auto* body : {"one", "two", "three"})
            co_await there.post(message(std::string("id-") + body, body));
    });
    wait_until([&] { return here.messages.cache().size() == 3; }, "three messages here");
    BOOST_TEST(ids(here.messages.cache()) == ids(there.messages.cache()),
               boost::test_tools::per_element());
    // A browser that saw "one" on the other process asks this one for what came after.
    BOOST_TEST(updates("cursor=id-one") == (Bodies{"two", "three"}),
               boost::test_tools::per_element());
}

TYPHOON_GEN_TEST(a_poll_waiting_here_is_answered_by_a_post_to_the_other_process) {
    auto poll = [&]() -> awaitable<httpclient::HTTPResponse> {
        co_return co_await http_client().fetch(post("/a/message/updates", ""));
    };
    auto talk = [&]() -> awaitable<bool> {
        co_await until([&] { return here.messages.waiters() == 1; }, "a waiting poll");
        co_await there.post(message("id-news", "news"));
        co_return true;
    };
    const auto [polled, posted] = co_await typhoon::gen::multi(poll(), talk());
    BOOST_TEST(posted);
    BOOST_TEST(polled.code == 200);
    const auto messages = typhoon::escape::json_decode(polled.body).at("messages").as_array();
    BOOST_REQUIRE(messages.size() == 1u);
    BOOST_TEST(messages.at(0).at("id").as_string() == "id-news");
}

TYPHOON_GEN_TEST(sockets_here_and_there_are_one_chat) {
    auto socket = co_await websocket::websocket_connect(
        "ws://127.0.0.1:" + std::to_string(get_http_port()) + "/chatsocket");
    co_await until([&] { return here.sockets.size() == 1; }, "the socket joined");
    co_await there.post(message("id-there", "from there"));
    auto received = co_await socket->read_message();
    BOOST_REQUIRE(received);
    BOOST_TEST(typhoon::escape::json_decode(received->data).at("id").as_string() == "id-there");

    co_await socket->write_message(R"({"body": "from here"})");
    received = co_await socket->read_message();  // the sender's copy, back through Redis
    BOOST_REQUIRE(received);
    BOOST_TEST(typhoon::escape::json_decode(received->data).at("body").as_string() == "from here");
    co_await until([&] { return there.messages.cache().size() == 2; },
                   "the other process has both");
    BOOST_TEST(bodies(there.messages.cache()) == (Bodies{"from there", "from here"}),
               boost::test_tools::per_element());
    socket->close();
    while (co_await socket->read_message()) {
    }
}

BOOST_AUTO_TEST_CASE(a_process_started_later_shows_the_history) {
    run_until([&]() -> awaitable<void> {
        for (const auto* body : {"a", "b"})
            co_await there.post(message(body, body));
    });
    chat::Chat late_chat;
    chat::RedisFanout late(server.url(), late_chat, prefix);
    run_until([&]() -> awaitable<void> { co_await late.start(); });
    BOOST_TEST(bodies(late_chat.messages.cache()) == (Bodies{"a", "b"}),
               boost::test_tools::per_element());
    late.stop();
    wait(50ms);
}

BOOST_AUTO_TEST_CASE(the_history_in_redis_is_capped_as_the_cache_is) {
    chat::Chat small_chat;
    chat::RedisFanout small(server.url(), small_chat, prefix + "-small", 3);
    run_until([&]() -> awaitable<void> {
        co_await small.start();
        for (int i = 0; i < 5; ++i)
            co_await small_chat.post(message(std::to_string(i), std::to_string(i)));
    });
    const auto saved = run_until([&]() -> awaitable<redis::Reply> {
        redis::Client client(server.url());
        co_return co_await client.command("LRANGE", prefix + "-small:messages", 0, -1);
    });
    BOOST_TEST(saved.as_array().size() == 3u);
    small.stop();
    wait(50ms);
}

BOOST_AUTO_TEST_CASE(a_process_cut_off_from_pubsub_catches_up_in_order_without_doubles) {
    run_until([&]() -> awaitable<void> { co_await there.post(message("before", "before")); });
    wait_until([&] { return here.messages.cache().size() == 1; }, "the first message");
    const auto delivered_before = fanout->delivered();
    // What another process posted while our subscriptions were gone: in the list, never
    // heard on the channel. Then Redis drops every subscriber, as a failover would.
    run_until([&]() -> awaitable<void> {
        redis::Client client(server.url());
        co_await client.command("RPUSH", prefix + ":messages",
                                typhoon::escape::json_encode(message("missed", "missed")));
        co_await client.command("CLIENT", "KILL", "TYPE", "pubsub");
    });
    wait_until([&] { return here.messages.cache().size() == 2; },
               "the missed message delivered after the reconnection");
    wait_until([&] { return there.messages.cache().size() == 2; },
               "the other process caught up too");
    run_until([&]() -> awaitable<void> { co_await there.post(message("after", "after")); });
    wait_until([&] { return here.messages.cache().size() == 3; }, "the message after");
    wait(100ms);  // anything doubled would arrive meanwhile
    BOOST_TEST(bodies(here.messages.cache()) == (Bodies{"before", "missed", "after"}),
               boost::test_tools::per_element());
    BOOST_TEST(ids(there.messages.cache()) == ids(here.messages.cache()),
               boost::test_tools::per_element());
    BOOST_TEST(fanout->delivered() == delivered_before + 2);
}

BOOST_AUTO_TEST_CASE(while_redis_is_away_posting_fails_with_503_and_then_works_again) {
    post_message("kept");
    wait_until([&] { return here.messages.cache().size() == 1; }, "the first message");
    server.kill();
    {
        typhoon::testing::ExpectLog logged{typhoon::log::gen_log, "chat: Redis: "};
        const auto refused =
            fetch("/a/message/new", post("/a/message/new", "body=" + std::string("lost")));
        BOOST_TEST(refused.code == 503);
    }
    // What this process mirrors is still served.
    BOOST_TEST(fetch("/poll").body.find(">kept</div>") != std::string::npos);
    {
        // A WebSocket post cannot be answered 503: the socket is closed with 1013, try again
        // later, and the browser's page reconnects.
        typhoon::testing::ExpectLog logged{typhoon::log::app_log, "chat: Redis: "};
        const auto close_code = run_until([&]() -> awaitable<int> {
            auto socket = co_await websocket::websocket_connect(
                "ws://127.0.0.1:" + std::to_string(get_http_port()) + "/chatsocket");
            co_await socket->write_message(R"({"body": "lost too"})");
            while (co_await socket->read_message()) {
            }
            co_return socket->close_code().value_or(0);
        });
        BOOST_TEST(close_code == 1013);
    }
    BOOST_TEST(here.messages.cache().size() == 1u);  // neither post was shown here
    BOOST_TEST_REQUIRE(server.start(), server.why_not());
    int code = 0;
    typhoon::testing::ExpectLog retrying{
        typhoon::log::gen_log, "chat: Redis: ", {.required = false}};
    for (int i = 0; i < 50 && code != 200; ++i) {  // the client backs off after a failure
        code = fetch("/a/message/new", post("/a/message/new", "body=back")).code;
        if (code != 200) wait(100ms);
    }
    BOOST_TEST(code == 200);
    wait_until([&] { return there.messages.cache().size() == 2; },
               "the other process got the message after the restart");
    BOOST_TEST(bodies(there.messages.cache()) == (Bodies{"kept", "back"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
