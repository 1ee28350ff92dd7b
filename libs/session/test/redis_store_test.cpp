#include <typhoon/session/redis_store.hpp>

#include "session_app.hpp"

#include <typhoon/ioloop/gen.hpp>
#include <typhoon/redis/client.hpp>
#include <typhoon/testing/redis_server.hpp>

#include <boost/test/unit_test.hpp>

namespace {

namespace session = typhoon::session;
namespace redis = typhoon::redis;

using typhoon::testing::redis_is_running;
using typhoon::testing::RedisServer;

struct RedisStoreTest : session_test::SessionAppTest {
    RedisServer& server = RedisServer::instance();
    redis::Client client{server.url(), {.reconnect_backoff = std::chrono::milliseconds(1)}};
    session::RedisStore sessions{client};
    session::SessionStore& store() override { return sessions; }
    RedisStoreTest() {
        if (!server.running()) server.start();  // a test that killed it leaves it for the next
    }
    void teardown() {
        client.close();  // before the check for work left on the loop
        SessionAppTest::teardown();
    }
    redis::Reply command(std::vector<std::string> arguments) {
        return run_until([&] { return client.command(std::move(arguments)); });
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(redis_store_test, *boost::unit_test::precondition(redis_is_running))
BOOST_FIXTURE_TEST_SUITE(through_an_application, RedisStoreTest)
#include "session_cases.ipp"

BOOST_AUTO_TEST_CASE(each_session_is_a_key_with_the_sessions_ttl) {
    options.idle_timeout = std::chrono::seconds(100);
    session_test::Browser browser;
    const std::string id(browse(browser, "/set?key=name&value=Ada").at("id").as_string());
    const auto ttl = command({"PTTL", "session:" + id}).as_integer();
    BOOST_TEST(ttl > 90'000);
    BOOST_TEST(ttl <= 100'000);
    browse(browser, "/destroy");
    BOOST_TEST(command({"EXISTS", "session:" + id}).as_integer() == 0);
}

BOOST_AUTO_TEST_CASE(a_lost_redis_answers_503_and_the_next_request_after_it_returns_recovers) {
    session_test::Browser browser;
    browse(browser, "/set?key=name&value=Ada");
    server.kill();
    {
        typhoon::testing::ExpectLog logged{typhoon::log::gen_log, "session store: redis: "};
        browse(browser, "/get", 503);
        BOOST_TEST(logged.matched() == 1);
    }
    BOOST_TEST_REQUIRE(server.start());
    // A throw-away server saves nothing: the session is gone, the request works again.
    const auto got = browse(browser, "/get");
    BOOST_TEST(got.at("new").as_bool());
    BOOST_TEST(browse(browser, "/set?key=name&value=Bob").at("new").as_bool() == false);
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
