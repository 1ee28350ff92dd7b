#ifndef TYPHOON_REDIS_TEST_REDIS_FIXTURE_HPP
#define TYPHOON_REDIS_TEST_REDIS_FIXTURE_HPP

// What the suites that talk to a server share: the skip precondition and a loop per test.

#include "redis_server.hpp"

#include <typhoon/ioloop/ioloop.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <iostream>
#include <utility>

namespace redis_test {

/// Runs a suite only when the server is up; otherwise every case is reported skipped, with
/// the reason, and CTest shows the test as skipped (SKIP_REGULAR_EXPRESSION), never passed.
inline boost::test_tools::assertion_result redis_is_running(boost::unit_test::test_unit_id) {
    auto& server = RedisServer::instance();
    if (server.running()) return true;
    std::cerr << "\n*** REDIS TESTS SKIPPED: the test server could not start ***\n"
              << server.why_not() << "\n";
    boost::test_tools::assertion_result result(false);
    result.message() << "REDIS TESTS SKIPPED: " << server.why_not();
    return result;
}

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
