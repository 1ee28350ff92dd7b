#include <typhoon/redis/subscription.hpp>

#include "redis_fixture.hpp"

#include <typhoon/ioloop/gen.hpp>
#include <typhoon/redis/client.hpp>
#include <typhoon/redis/errors.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace redis = typhoon::redis;
namespace gen = typhoon::gen;
using boost::asio::awaitable;
using redis_test::RedisServer;
using namespace std::chrono_literals;

namespace {
/// Publishes `payload` until someone receives it (PUBLISH counts the receivers): a subscriber
/// that is reconnecting misses what is published meanwhile, by Redis's design.
awaitable<void> publish_until_heard(redis::Client& client, std::string channel,
                                    std::string payload) {
    for (int i = 0; i < 200; ++i) {
        try {
            if ((co_await client.command("PUBLISH", channel, payload)).as_integer() > 0) co_return;
        } catch (const redis::ConnectionError&) {
        }
        co_await gen::sleep(50ms);
    }
    BOOST_FAIL("nobody subscribed within 10 s");
}
}  // namespace

BOOST_FIXTURE_TEST_SUITE(subscription_test, redis_test::RedisTest,
                         *boost::unit_test::precondition(redis_test::redis_is_running))

BOOST_AUTO_TEST_CASE(a_message_published_by_one_client_reaches_another) {
    run([&]() -> awaitable<void> {
        redis::Client subscriber(server.url());
        redis::Client publisher("unix://" + server.socket());
        auto sub = co_await subscriber.subscribe({"chat", "news"});
        const std::string payload("hello\0world", 11);
        BOOST_TEST((co_await publisher.command("PUBLISH", "chat", payload)).as_integer() == 1);
        co_await publisher.command("PUBLISH", "news", "second");
        auto first = co_await sub.next(5s);
        BOOST_TEST(first.channel == "chat");
        BOOST_TEST(!first.pattern);
        BOOST_TEST((first.payload == payload));
        BOOST_TEST((co_await sub.next(5s)).payload == "second");
        // The client's own commands are not held up by its subscription.
        BOOST_TEST((co_await subscriber.command("PING")).as_string() == "PONG");
    });
}

BOOST_AUTO_TEST_CASE(a_pattern_subscription_names_the_pattern_matched) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url());
        auto sub = co_await client.psubscribe({"chat.*"});
        co_await client.command("PUBLISH", "chat.room1", "hi");
        co_await client.command("PUBLISH", "other", "not this");
        co_await client.command("PUBLISH", "chat.room2", "there");
        const auto m = co_await sub.next(5s);
        BOOST_TEST(m.channel == "chat.room1");
        BOOST_TEST(m.pattern.value_or("") == "chat.*");
        BOOST_TEST(m.payload == "hi");
        BOOST_TEST((co_await sub.next(5s)).channel == "chat.room2");
    });
}

BOOST_AUTO_TEST_CASE(more_channels_can_be_added_and_next_times_out_without_harm) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url());
        auto sub = co_await client.subscribe({"a"});
        BOOST_CHECK_THROW(co_await sub.next(100ms), redis::TimeoutError);
        co_await sub.subscribe({"b", "a"});
        co_await sub.psubscribe({"c*"});
        BOOST_TEST((sub.channels() == std::vector<std::string>{"a", "b"}));
        co_await client.command("PUBLISH", "b", "1");
        co_await client.command("PUBLISH", "cc", "2");
        BOOST_TEST((co_await sub.next(5s)).payload == "1");
        BOOST_TEST((co_await sub.next(5s)).payload == "2");
        sub.close();
        BOOST_CHECK_THROW(co_await sub.next(), redis::ConnectionError);
    });
}

BOOST_AUTO_TEST_CASE(unsubscribing_ends_the_messages_of_those_channels_and_patterns) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url());
        auto sub = co_await client.subscribe({"a", "b"});
        co_await sub.psubscribe({"p.*", "q.*"});
        // On its way, or waiting in the subscription: either way never returned by next().
        co_await client.command("PUBLISH", "a", "not taken");
        co_await sub.unsubscribe({"a", "never-subscribed"});
        BOOST_TEST((sub.channels() == std::vector<std::string>{"b"}));
        BOOST_TEST((co_await client.command("PUBLISH", "a", "x")).as_integer() == 0);
        co_await sub.punsubscribe({"p.*"});
        BOOST_TEST((sub.patterns() == std::vector<std::string>{"q.*"}));
        BOOST_TEST((co_await client.command("PUBLISH", "p.1", "x")).as_integer() == 0);
        co_await client.command("PUBLISH", "b", "1");
        co_await client.command("PUBLISH", "q.1", "2");
        BOOST_TEST((co_await sub.next(5s)).payload == "1");
        BOOST_TEST((co_await sub.next(5s)).payload == "2");
        // Every name gone, then one again: the connection goes on.
        co_await sub.unsubscribe({"b"});
        co_await sub.punsubscribe({"q.*"});
        co_await sub.subscribe({"a"});
        BOOST_TEST((co_await client.command("PUBLISH", "a", "again")).as_integer() == 1);
        BOOST_TEST((co_await sub.next(5s)).payload == "again");
    });
}

BOOST_AUTO_TEST_CASE(a_channel_unsubscribed_while_disconnected_is_left_out_of_the_reconnection) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url(), {.reconnect_backoff = 20ms});
        auto sub = co_await client.subscribe({"gone", "kept"});
        server.kill();
        co_await sub.unsubscribe({"gone"});  // only noted: there is no connection to tell
        BOOST_TEST((sub.channels() == std::vector<std::string>{"kept"}));
        BOOST_TEST_REQUIRE(server.start(), server.why_not());
        redis::Message after;
        std::vector<awaitable<void>> both;
        auto listen = [&]() -> awaitable<void> { after = co_await sub.next(20s); };
        both.push_back(listen());
        both.push_back(publish_until_heard(client, "kept", "back"));
        co_await gen::multi(std::move(both));
        BOOST_TEST(after.payload == "back");
        BOOST_TEST((co_await client.command("PUBLISH", "gone", "x")).as_integer() == 0);
    });
}

BOOST_AUTO_TEST_CASE(a_subscription_resumes_after_the_server_restarts) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url(), {.reconnect_backoff = 20ms});
        auto sub = co_await client.subscribe({"chat"});
        co_await client.command("PUBLISH", "chat", "before");
        BOOST_TEST((co_await sub.next(5s)).payload == "before");
        BOOST_TEST(sub.reconnections() == 0u);
        server.kill();
        BOOST_TEST_REQUIRE(server.start(), server.why_not());
        redis::Message after;
        std::vector<awaitable<void>> both;
        auto task1 = [&]() -> awaitable<void> { after = co_await sub.next(20s); };
        both.push_back(task1());
        both.push_back(publish_until_heard(client, "chat", "after"));
        co_await gen::multi(std::move(both));
        BOOST_TEST(after.payload == "after");
        BOOST_TEST((sub.channels() == std::vector<std::string>{"chat"}));
        BOOST_TEST(sub.reconnections() == 1u);  // what tells a consumer to re-read its list
    });
}

BOOST_AUTO_TEST_CASE(a_subscription_backs_off_while_the_server_is_away) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url(), {.reconnect_backoff = 20ms});
        auto sub = co_await client.psubscribe({"room.*"});
        server.kill();
        redis::Message after;
        std::vector<awaitable<void>> all;
        auto listen = [&]() -> awaitable<void> { after = co_await sub.next(20s); };
        all.push_back(listen());
        auto come_back = [&]() -> awaitable<void> {
            co_await gen::sleep(300ms);  // next() meanwhile fails to connect and waits between
            BOOST_TEST_REQUIRE(server.start(), server.why_not());
            co_await publish_until_heard(client, "room.1", "back");
        };
        all.push_back(come_back());
        co_await gen::multi(std::move(all));
        BOOST_TEST(after.payload == "back");
        BOOST_TEST(after.pattern.value_or("") == "room.*");
    });
}

BOOST_AUTO_TEST_CASE(a_subscription_logs_in_and_selects_first) {
    RedisServer secured({"--requirepass", "pw"});
    BOOST_TEST_REQUIRE(secured.running(), secured.why_not());
    run([&]() -> awaitable<void> {
        redis::Client client("unix://:pw@" + secured.socket() + "?db=3");
        auto sub = co_await client.subscribe({"c"});
        BOOST_TEST((co_await client.command("PUBLISH", "c", "m")).as_integer() == 1);
        BOOST_TEST((co_await sub.next(5s)).payload == "m");
    });
}

BOOST_AUTO_TEST_CASE(subscribing_to_an_absent_server_is_a_connection_error) {
    run([&]() -> awaitable<void> {
        redis::Client client("unix:///nonexistent/redis.sock");
        BOOST_CHECK_THROW(co_await client.subscribe({"x"}), redis::ConnectionError);
        BOOST_CHECK_THROW(co_await client.command("PING"), redis::ConnectionError);
    });
}

BOOST_AUTO_TEST_SUITE_END()
