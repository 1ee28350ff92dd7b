// AsyncTestCase with virtual time: timers advance by advance(), instantly and in order.
#include <typhoon/testing/async_test_case.hpp>

#include <typhoon/ioloop/condition.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/periodic_callback.hpp>
#include <typhoon/ioloop/queue.hpp>

#include <string>
#include <vector>

using namespace typhoon;
using namespace std::chrono_literals;

namespace {
struct VirtualTimeTest : testing::AsyncTestCase {
    VirtualTimeTest() : AsyncTestCase({.virtual_time = true}) {}
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(virtual_time_test, VirtualTimeTest)

BOOST_AUTO_TEST_CASE(call_later_fires_when_the_clock_reaches_it) {
    bool fired = false;
    io_loop().call_later(30s, [&fired] { fired = true; });
    advance(29s);
    BOOST_TEST(!fired);
    advance(1s);
    BOOST_TEST(fired);
}

BOOST_AUTO_TEST_CASE(the_clock_stands_still_between_advances) {
    const auto before = io_loop().time();
    wait(20ms);                                // real time passes...
    BOOST_TEST((io_loop().time() == before));  // ...virtual time does not
    advance(1h);
    BOOST_TEST((io_loop().time() - before == 1h));
}

BOOST_AUTO_TEST_CASE(timers_fire_in_order_of_time) {
    std::vector<std::string> order;
    io_loop().call_later(3s, [&] { order.push_back("3s"); });
    io_loop().call_later(1s, [&] { order.push_back("1s"); });
    io_loop().call_later(2s, [&] { order.push_back("2s"); });
    advance(10s);
    BOOST_TEST(order == (std::vector<std::string>{"1s", "2s", "3s"}));
}

BOOST_AUTO_TEST_CASE(sleeping_coroutines_wake_on_advance) {
    std::vector<int> woke;
    io_loop().add_callback([&woke]() -> testing::awaitable<void> {
        co_await gen::sleep(10min);
        woke.push_back(1);
        co_await gen::sleep(10min);
        woke.push_back(2);
    });
    advance(10min);
    BOOST_TEST(woke == (std::vector<int>{1}));
    advance(10min);
    BOOST_TEST(woke == (std::vector<int>{1, 2}));
}

BOOST_AUTO_TEST_CASE(periodic_callback_runs_once_per_interval_advanced) {
    int runs = 0;
    ioloop::PeriodicCallback tick([&runs] { ++runs; }, 5s);
    tick.start();
    for (int i = 0; i < 4; ++i)
        advance(5s);
    BOOST_TEST(runs == 4);
    tick.stop();
}

BOOST_AUTO_TEST_CASE(one_advance_stops_at_each_timer_on_the_way) {
    const auto start = io_loop().time();
    std::vector<ioloop::IOLoop::duration> runs;
    ioloop::PeriodicCallback tick([&] { runs.push_back(io_loop().time() - start); }, 5s);
    tick.start();
    advance(20s);
    tick.stop();
    BOOST_TEST((runs == std::vector<ioloop::IOLoop::duration>{5s, 10s, 15s, 20s}));
}

BOOST_AUTO_TEST_CASE(timeouts_expire_on_virtual_time) {
    bool timed_out = false;
    io_loop().add_callback([&timed_out]() -> testing::awaitable<void> {
        queues::Queue<int> empty;
        try {
            co_await empty.get(gen::Deadline(std::chrono::seconds(60)));
        } catch (const gen::TimeoutError&) {
            timed_out = true;
        }
    });
    advance(59s);
    BOOST_TEST(!timed_out);
    advance(1s);
    BOOST_TEST(timed_out);
}

BOOST_AUTO_TEST_SUITE_END()
