#ifndef TYPHOON_REDIS_TEST_REDIS_FIXTURE_HPP
#define TYPHOON_REDIS_TEST_REDIS_FIXTURE_HPP

// What the suites that talk to a server share: the skip precondition and a loop per test.

#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/testing/redis_server.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <utility>

namespace redis_test {

using typhoon::testing::RedisServer;

using typhoon::testing::redis_is_running;

struct RedisTest {
    RedisServer& server = RedisServer::instance();
    typhoon::ioloop::IOLoop loop;
    RedisTest() {
        // A test that killed or paused the shared server leaves it running for the next.
        server.resume();
        if (!server.running()) server.start();
    }
    /// Runs the coroutine `f()` on the test's loop; a hang fails the test after 120 s.
    template <class F>
    auto run(F f) {
        return loop.run_sync(std::move(f), std::chrono::seconds(120));
    }
};

}  // namespace redis_test

#endif
