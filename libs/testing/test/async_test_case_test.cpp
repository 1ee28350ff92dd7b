#include <typhoon/testing/async_test_case.hpp>

#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/queue.hpp>
#include <typhoon/testing/expect_log.hpp>

#include <boost/asio/steady_timer.hpp>

#include <cstdlib>

using namespace typhoon;
using namespace std::chrono_literals;
namespace utf = boost::unit_test;

BOOST_FIXTURE_TEST_SUITE(async_test_case_test, testing::AsyncTestCase)

BOOST_AUTO_TEST_CASE(each_test_gets_a_fresh_current_loop) {
    BOOST_TEST(&ioloop::IOLoop::current() == &io_loop());
}

TYPHOON_GEN_TEST(gen_test_body_is_a_coroutine_on_the_loop) {
    queues::Queue<int> queue;
    io_loop().call_later(10ms, [&queue] { queue.put_nowait(42); });
    BOOST_TEST(co_await queue.get() == 42);
}

BOOST_AUTO_TEST_CASE(run_until_returns_the_result) {
    const int value = run_until([]() -> testing::awaitable<int> {
        co_await gen::sleep(1ms);
        co_return 7;
    });
    BOOST_TEST(value == 7);
}

BOOST_AUTO_TEST_CASE(run_until_times_out) {
    BOOST_CHECK_THROW(
        run_until([]() -> testing::awaitable<void> { co_await gen::sleep(10s); }, 20ms),
        gen::TimeoutError);
}

BOOST_AUTO_TEST_CASE(wait_lets_timers_fire) {
    bool fired = false;
    io_loop().call_later(5ms, [&fired] { fired = true; });
    wait(50ms);
    BOOST_TEST(fired);
}

// The failures below are the fixture doing its job: Boost.Test counts them as expected.

TYPHOON_GEN_TEST_TIMEOUT(a_gen_test_that_outlasts_its_timeout_fails, 50ms,
                         *utf::expected_failures(1)) {
    co_await gen::sleep(10s);
}

// (Its "Exception in callback" record is printed: a capture would mark it as expected.)
BOOST_AUTO_TEST_CASE(an_exception_escaping_a_callback_fails_the_test, *utf::expected_failures(1)) {
    io_loop().add_callback([] { throw std::runtime_error("callback bug"); });
    wait(10ms);
}

BOOST_AUTO_TEST_CASE(a_timer_left_pending_fails_the_test, *utf::expected_failures(1)) {
    auto timer = std::make_shared<boost::asio::steady_timer>(io_loop().context(), 1h);
    timer->async_wait([timer](auto) {});  // keeps itself alive: a leaked handle
}

BOOST_AUTO_TEST_CASE(an_expected_callback_exception_does_not_fail_the_test) {
    testing::ExpectLog expected{log::app_log, "Exception in callback"};
    io_loop().add_callback([] { throw std::runtime_error("expected bug"); });
    wait(10ms);
}

BOOST_AUTO_TEST_CASE(async_test_timeout_comes_from_the_environment) {
    BOOST_TEST((testing::get_async_test_timeout() == 5s));
    ::setenv("ASYNC_TEST_TIMEOUT", "0.25", 1);
    BOOST_TEST((testing::get_async_test_timeout() == 250ms));
    ::unsetenv("ASYNC_TEST_TIMEOUT");
}

BOOST_AUTO_TEST_SUITE_END()
