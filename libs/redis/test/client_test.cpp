#include <typhoon/redis/client.hpp>

#include "redis_fixture.hpp"

#include <typhoon/ioloop/gen.hpp>
#include <typhoon/redis/errors.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace redis = typhoon::redis;
namespace gen = typhoon::gen;
using boost::asio::awaitable;
using redis::Reply;
using redis_test::RedisServer;
using namespace std::chrono_literals;

namespace {
template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no exception";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

awaitable<void> expect_connection_error(redis::Client& client, std::vector<std::string> command,
                                        int& failures) {
    try {
        co_await client.command(std::move(command));
    } catch (const redis::ConnectionError&) {
        ++failures;
    }
}
}  // namespace

BOOST_FIXTURE_TEST_SUITE(client_test, redis_test::RedisTest,
                         *boost::unit_test::precondition(redis_test::redis_is_running))

BOOST_AUTO_TEST_CASE(every_reply_type_comes_back_typed) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url());
        BOOST_TEST((co_await client.command("DEL", "k", "list")).as_integer() >= 0);
        const auto ok = co_await client.command("SET", "k", "v");
        BOOST_TEST((ok.type() == Reply::Type::status));
        BOOST_TEST(ok.as_string() == "OK");
        const auto value = co_await client.command("GET", "k");
        BOOST_TEST((value.type() == Reply::Type::string));
        BOOST_TEST(value.as_string() == "v");
        BOOST_TEST((co_await client.command("GET", "missing")).is_nil());
        BOOST_TEST((co_await client.command("INCRBY", "n", 41)).as_integer() >= 41);
        co_await client.command("RPUSH", "list", "a", "b");
        const auto list = co_await client.command("LRANGE", "list", 0, -1);
        BOOST_TEST(list.as_array().size() == 2u);
        BOOST_TEST(list.as_array()[1].as_string() == "b");
        BOOST_TEST((co_await client.command(std::vector<std::string>{"PING"})).as_string() ==
                   "PONG");
        try {
            co_await client.command("INCR", "list");
            BOOST_FAIL("INCR of a list succeeded");
        } catch (const redis::ReplyError& e) {
            BOOST_TEST(e.code() == "WRONGTYPE");
            BOOST_TEST(contains(e.what(), "Operation against a key holding the wrong kind"));
        }
        // An error reply leaves the connection as it was.
        BOOST_TEST((co_await client.command("GET", "k")).as_string() == "v");
        BOOST_TEST(client.open_connections() == 1u);
    });
}

BOOST_AUTO_TEST_CASE(keys_and_values_are_binary_safe) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url());
        const std::string key("key\0with\r\nnul", 13);
        std::string value;
        for (int i = 0; i < 256; ++i)
            value += static_cast<char>(i);
        value += std::string(100000, '\0');
        co_await client.command("SET", key, value);
        const auto back = co_await client.command("GET", key);
        BOOST_TEST(back.as_string().size() == value.size());
        BOOST_TEST((back.as_string() == value));
        BOOST_TEST((co_await client.command("STRLEN", key)).as_integer() ==
                   static_cast<std::int64_t>(value.size()));
        co_await client.command("SET", "pi", 3.5);
        BOOST_TEST((co_await client.command("GET", "pi")).as_string().starts_with("3.5"));
    });
}

BOOST_AUTO_TEST_CASE(ten_thousand_concurrent_commands_pipeline_on_one_connection_in_order) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url());
        co_await client.command("DEL", "counter");
        std::vector<awaitable<Reply>> commands;
        for (int i = 0; i < 10000; ++i)
            commands.push_back(client.command("INCR", "counter"));
        const auto replies = co_await gen::multi(std::move(commands));
        bool in_order = true;
        for (int i = 0; i < 10000; ++i)
            in_order = in_order && replies[i].as_integer() == i + 1;
        BOOST_TEST(in_order);
        BOOST_TEST(client.open_connections() == 1u);
    });
}

BOOST_AUTO_TEST_CASE(pipeline_sends_a_batch_and_returns_every_reply_in_order) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url());
        std::vector<std::vector<std::string>> batch{{"DEL", "p"}};
        for (int i = 0; i < 10000; ++i)
            batch.push_back({"RPUSH", "p", std::to_string(i)});
        batch.push_back({"LLEN", "p"});
        const auto replies = co_await client.pipeline(std::move(batch));
        BOOST_TEST(replies.size() == 10002u);
        BOOST_TEST(replies[10000].as_integer() == 10000);
        BOOST_TEST(replies.back().as_integer() == 10000);
        // An error reply is one reply of the batch, not an exception; the rest still runs.
        const auto mixed =
            co_await client.pipeline({{"SET", "a", "1"}, {"LPUSH", "a", "x"}, {"GET", "a"}});
        BOOST_TEST(mixed[1].is_error());
        BOOST_TEST(mixed[1].error_message().starts_with("WRONGTYPE"));
        BOOST_TEST(mixed[2].as_string() == "1");
        BOOST_TEST((co_await client.pipeline({})).empty());
    });
}

BOOST_AUTO_TEST_CASE(multi_exec_goes_as_one_pipeline) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url(), {.pool_size = 4});
        const auto replies =
            co_await client.pipeline({{"MULTI"}, {"SET", "t", "1"}, {"INCR", "t"}, {"EXEC"}});
        BOOST_TEST(replies[1].as_string() == "QUEUED");
        const auto& results = replies[3].as_array();
        BOOST_TEST(results[0].as_string() == "OK");
        BOOST_TEST(results[1].as_integer() == 2);
    });
}

BOOST_AUTO_TEST_CASE(select_picks_the_database_of_the_url) {
    run([&]() -> awaitable<void> {
        redis::Client db5(server.url() + "/5");
        redis::Client db0(server.url());
        redis::Client by_socket("unix://" + server.socket() + "?db=5");
        co_await db5.command("SET", "where", "five");
        co_await db0.command("DEL", "where");
        BOOST_TEST((co_await by_socket.command("GET", "where")).as_string() == "five");
        BOOST_TEST((co_await db0.command("GET", "where")).is_nil());
        BOOST_TEST((co_await db5.command("CLIENT", "INFO")).as_string().find("db=5") !=
                   std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_unix_socket_url_connects) {
    run([&]() -> awaitable<void> {
        redis::Client client("unix://" + server.socket());
        BOOST_TEST((co_await client.command("PING")).as_string() == "PONG");
    });
}

BOOST_AUTO_TEST_CASE(auth_with_the_password_and_a_wrong_one) {
    RedisServer secured({"--requirepass", "s3cr%t"});
    BOOST_TEST_REQUIRE(secured.running(), secured.why_not());
    run([&]() -> awaitable<void> {
        const std::string at = "@127.0.0.1:" + std::to_string(secured.port());
        redis::Client good("redis://:s3cr%25t" + at + "/2");
        BOOST_TEST((co_await good.command("SET", "k", "v")).as_string() == "OK");
        redis::Client as_default("redis://default:s3cr%25t" + at);
        BOOST_TEST((co_await as_default.command("PING")).as_string() == "PONG");
        redis::Client by_socket("unix://:s3cr%25t@" + secured.socket());
        BOOST_TEST((co_await by_socket.command("PING")).as_string() == "PONG");

        redis::Client wrong("redis://:nope" + at);
        try {
            co_await wrong.command("PING");
            BOOST_FAIL("a wrong password was accepted");
        } catch (const redis::ConnectionError& e) {
            BOOST_TEST_INFO(e.what());
            BOOST_TEST(contains(e.what(), "cannot log in"));
            BOOST_TEST((contains(e.what(), "WRONGPASS") || contains(e.what(), "invalid password")));
        }
        redis::Client none("redis://127.0.0.1:" + std::to_string(secured.port()));
        try {
            co_await none.command("PING");
            BOOST_FAIL("no password was accepted");
        } catch (const redis::ReplyError& e) {
            BOOST_TEST(e.code() == "NOAUTH");
        }
        // Redis 6 ACL users log in with AUTH user password.
        co_await good.command("ACL", "SETUSER", "ada", "on", ">lovelace", "~*", "+@all");
        redis::Client ada("redis://ada:lovelace" + at);
        BOOST_TEST((co_await ada.command("ACL", "WHOAMI")).as_string() == "ada");
    });
}

BOOST_AUTO_TEST_CASE(bad_urls_raise_naming_what_is_wrong) {
    auto message = [](const std::string& url) {
        return error_of([&] { redis::Client client(url); });
    };
    BOOST_TEST(contains(message("localhost:6379"), "no scheme"));
    BOOST_TEST(contains(message("http://localhost"), "unknown scheme 'http'"));
    BOOST_TEST(contains(message("rediss://localhost"), "no TLS"));
    BOOST_TEST(contains(message("redis://localhost:http"), "bad port 'http'"));
    BOOST_TEST(contains(message("redis://localhost:99999"), "bad port"));
    BOOST_TEST(contains(message("redis://localhost:"), "empty port"));
    BOOST_TEST(contains(message("redis://:pw@/0"), "no host"));
    BOOST_TEST(contains(message("redis://localhost/two"), "bad database number 'two'"));
    BOOST_TEST(contains(message("redis://localhost?timeout=3"), "unknown parameter 'timeout'"));
    BOOST_TEST(contains(message("redis://:%zz@localhost"), "bad percent-escape"));
    BOOST_TEST(contains(message("unix://relative.sock"), "no absolute socket path"));
    BOOST_TEST(contains(message("redis://[::1"), "unclosed '['"));
    BOOST_CHECK_THROW(redis::Client("redis://x:1/a"), redis::URLError);
    BOOST_CHECK_NO_THROW(redis::Client("redis://[::1]:6380/3?db=4"));
}

BOOST_AUTO_TEST_CASE(a_command_that_times_out_closes_its_connection) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url(), {.command_timeout = 200ms});
        co_await client.command("SET", "k", "v");
        int behind = 0;
        std::vector<awaitable<void>> calls;
        auto task1 = [&]() -> awaitable<void> {
            try {
                co_await client.command("DEBUG", "SLEEP", "1");
                BOOST_FAIL("DEBUG SLEEP 1 did not time out");
            } catch (const redis::TimeoutError& e) {
                BOOST_TEST(contains(e.what(), "no reply"));
            }
        };
        calls.push_back(task1());
        auto behind_it = [&]() -> awaitable<void> {
            co_await gen::sleep(50ms);  // so that its own timeout would come later
            co_await expect_connection_error(client, {"GET", "k"}, behind);
        };
        calls.push_back(behind_it());
        co_await gen::multi(std::move(calls));
        BOOST_TEST(behind == 1);  // pipelined behind the slow one: failed, not hung
        BOOST_TEST(client.open_connections() == 0u);
        co_await gen::sleep(1s);  // the server is done sleeping
        BOOST_TEST((co_await client.command("GET", "k")).as_string() == "v");
    });
}

BOOST_AUTO_TEST_CASE(a_stopped_server_times_out_commands_and_connects) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url(), {.command_timeout = 300ms});
        co_await client.command("PING");
        server.pause();
        BOOST_CHECK_THROW(co_await client.command("PING"), redis::TimeoutError);
        // The kernel still accepts connections for it, but SELECT is never answered.
        redis::Client other(server.url() + "/1", {.connect_timeout = 300ms});
        const auto message = [&]() -> awaitable<std::string> {
            try {
                co_await other.command("PING");
            } catch (const redis::ConnectionError& e) {
                co_return e.what();
            }
            co_return "no exception";
        };
        BOOST_TEST(contains(co_await message(), "timed out after 300 ms"));
        server.resume();
        BOOST_TEST((co_await client.command("PING")).as_string() == "PONG");
    });
}

BOOST_AUTO_TEST_CASE(a_restart_mid_pipeline_fails_the_calls_in_flight_and_then_reconnects) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url(), {.reconnect_backoff = 500ms});
        co_await client.command("PING");
        int failures = 0;
        std::vector<awaitable<void>> calls;
        // DEBUG SLEEP holds the server so that everything behind it is still in flight.
        calls.push_back(expect_connection_error(client, {"DEBUG", "SLEEP", "2"}, failures));
        for (int i = 0; i < 2000; ++i)
            calls.push_back(expect_connection_error(client, {"INCR", "x"}, failures));
        auto task2 = [&]() -> awaitable<void> {
            try {
                std::vector<std::vector<std::string>> batch(500, {"INCR", "y"});
                co_await client.pipeline(std::move(batch));
            } catch (const redis::ConnectionError& e) {
                BOOST_TEST(contains(e.what(), "lost"));
                ++failures;
            }
        };
        calls.push_back(task2());
        auto task3 = [&]() -> awaitable<void> {
            co_await gen::sleep(200ms);
            server.kill();
        };
        calls.push_back(task3());
        co_await gen::multi(std::move(calls));
        BOOST_TEST(failures == 2002);
        // While it is down, commands fail at once.
        BOOST_CHECK_THROW(co_await client.command("PING"), redis::ConnectionError);
        const auto fast = [&]() -> awaitable<std::string> {
            try {
                co_await client.command("PING");
            } catch (const redis::ConnectionError& e) {
                co_return e.what();
            }
            co_return "no exception";
        };
        BOOST_TEST(contains(co_await fast(), "next attempt in"));  // backing off
        BOOST_TEST_REQUIRE(server.start(), server.why_not());
        co_await gen::sleep(600ms);  // past the backoff
        BOOST_TEST((co_await client.command("PING")).as_string() == "PONG");
    });
}

BOOST_AUTO_TEST_CASE(the_pool_sends_each_command_to_the_least_busy_connection) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url(), {.pool_size = 3});
        redis::Client other(server.url());
        co_await other.command("DEL", "queue");
        std::vector<std::string> order;
        std::vector<awaitable<void>> calls;
        auto task4 = [&]() -> awaitable<void> {
            co_await client.command("BLPOP", "queue", "1");  // holds its connection for 1 s
            order.push_back("blpop");
        };
        calls.push_back(task4());
        auto task5 = [&]() -> awaitable<void> {
            co_await client.command("PING");  // not queued behind the BLPOP
            order.push_back("ping");
        };
        calls.push_back(task5());
        co_await gen::multi(std::move(calls));
        BOOST_TEST((order == std::vector<std::string>{"ping", "blpop"}));
        BOOST_TEST(client.open_connections() == 2u);
        client.close();
        BOOST_TEST(client.open_connections() == 0u);
        BOOST_TEST((co_await client.command("PING")).as_string() == "PONG");
    });
}

BOOST_AUTO_TEST_CASE(a_cancelled_command_closes_its_connection) {
    run([&]() -> awaitable<void> {
        redis::Client client(server.url());
        co_await client.command("PING");
        BOOST_CHECK_THROW(
            co_await gen::with_timeout(100ms, client.command("DEBUG", "SLEEP", "0.5")),
            gen::TimeoutError);
        BOOST_TEST(client.open_connections() == 0u);
        co_await gen::sleep(500ms);
        BOOST_TEST((co_await client.command("PING")).as_string() == "PONG");
    });
}

BOOST_AUTO_TEST_SUITE_END()
