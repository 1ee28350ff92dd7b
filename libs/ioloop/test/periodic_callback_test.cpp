#include <typhoon/ioloop/periodic_callback.hpp>

#include <typhoon/core/log_capture.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/virtual_time.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <vector>

using namespace std::chrono_literals;
using typhoon::ioloop::awaitable;
using typhoon::ioloop::IOLoop;
using typhoon::ioloop::LoopClock;
using typhoon::ioloop::PeriodicCallback;
using typhoon::ioloop::VirtualTime;
using clock_type = PeriodicCallback::clock;
namespace tlog = typhoon::log;

namespace {

/// Tornado's PeriodicCallbackMathTest.simulate_calls: each call starts when it is due and lasts
/// `durations[i]` (negative: the clock went back); returns when each call is due, in seconds.
std::vector<double> simulate(std::chrono::milliseconds interval,
                             const std::vector<double>& durations, double jitter = 0,
                             double random = 0.5) {
    const auto origin = clock_type::time_point{};
    auto now = origin + 1000s;
    auto scheduled = now;
    std::vector<double> calls;
    for (double d : durations) {
        scheduled = PeriodicCallback::next_run_time(scheduled, now, interval, jitter, random);
        calls.push_back(std::chrono::duration<double>(scheduled - origin).count());
        now = scheduled +
              std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(d));
    }
    return calls;
}

void check_close(const std::vector<double>& actual, const std::vector<double>& expected) {
    BOOST_TEST_REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i)
        BOOST_TEST(actual[i] == expected[i], boost::test_tools::tolerance(1e-9));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(periodic_callback_test)

// Expected schedules from Debian's python3-tornado 6.2: PeriodicCallback._update_next driven
// exactly as above (tornado/test/ioloop_test.py's simulate_calls), callback_time 10000 ms.
BOOST_AUTO_TEST_CASE(runs_on_a_fixed_grid) {
    check_close(simulate(10s, {0, 0, 0, 0, 0}), {1010, 1020, 1030, 1040, 1050});
}

BOOST_AUTO_TEST_CASE(an_overrunning_call_skips_the_runs_it_missed) {
    check_close(simulate(10s, {9, 9, 10, 11, 20, 20, 35, 35, 0, 0, 0}),
                {1010, 1020, 1030, 1050, 1070, 1100, 1130, 1170, 1210, 1220, 1230});
}

BOOST_AUTO_TEST_CASE(a_clock_going_back_still_moves_the_schedule_forward) {
    check_close(simulate(10s, {-1, -1, -1, -1, -1, 0, 0}),
                {1010, 1020, 1030, 1040, 1050, 1060, 1070});
    check_close(simulate(10s, {-100, -100, -100, 0}), {1010, 1020, 1030, 1040});
}

BOOST_AUTO_TEST_CASE(jitter_scales_each_interval) {
    // Tornado with random.random() patched to return 0.0 and then 0.99, jitter 0.5.
    check_close(simulate(10s, {0, 0, 0}, 0.5, 0.0), {1007.5, 1015, 1022.5});
    check_close(simulate(10s, {0, 0, 0}, 0.5, 0.99), {1012.45, 1024.9, 1037.35});
}

BOOST_AUTO_TEST_CASE(no_drift_accumulates_over_thousands_of_runs) {
    const auto start = clock_type::time_point{} + 5s;
    const auto interval = 3ms + 333us + 333ns;  // not a round number of anything
    auto scheduled = start;
    for (int run = 1; run <= 100000; ++run) {
        // Each call starts a little late; the grid must not move because of it.
        scheduled = PeriodicCallback::next_run_time(scheduled, scheduled + 17us, interval);
        BOOST_TEST_REQUIRE((scheduled == start + run * interval));
    }
}

BOOST_AUTO_TEST_CASE(a_non_positive_interval_is_refused) {
    BOOST_CHECK_THROW(PeriodicCallback([] {}, 0ms), typhoon::Error);
}

// The loop tests run on virtual time: instant, and exact about when each run happens.

BOOST_AUTO_TEST_CASE(calls_repeatedly_until_stopped) {
    IOLoop loop;
    VirtualTime clock(loop);
    const auto start = loop.time();
    std::vector<IOLoop::duration> calls;
    PeriodicCallback* self = nullptr;
    PeriodicCallback periodic(
        [&] {
            calls.push_back(loop.time() - start);
            if (calls.size() == 3) self->stop();
        },
        2ms);
    self = &periodic;
    BOOST_TEST(!periodic.is_running());
    periodic.start();
    BOOST_TEST(periodic.is_running());
    clock.advance(60ms);
    BOOST_TEST((calls == std::vector<IOLoop::duration>{2ms, 4ms, 6ms}));
    BOOST_TEST(!periodic.is_running());
}

BOOST_AUTO_TEST_CASE(a_slow_call_is_followed_by_the_next_grid_point_not_a_burst) {
    IOLoop loop;
    VirtualTime clock(loop);
    std::vector<IOLoop::time_point> calls;
    const auto before_start = loop.time();
    PeriodicCallback periodic(
        [&] {
            calls.push_back(loop.time());
            if (calls.size() == 1) LoopClock::advance(65ms);  // the call takes 65 ms
        },
        10ms);
    periodic.start();
    clock.advance(95ms);
    periodic.stop();
    BOOST_TEST_REQUIRE(calls.size() == 3U);
    // The first call runs at 10 ms and ends at 75 ms: the next point of the grid is 80 ms, with
    // nothing in between for the intervals it overran.
    BOOST_TEST((calls[0] - before_start == 10ms));
    BOOST_TEST((calls[1] - before_start == 80ms));
    BOOST_TEST((calls[2] - before_start == 90ms));
}

BOOST_AUTO_TEST_CASE(a_coroutine_callback_finishes_before_the_next_run) {
    IOLoop loop;
    VirtualTime clock(loop);
    const auto start = loop.time();
    int running = 0, most_at_once = 0;
    std::vector<IOLoop::duration> starts;
    PeriodicCallback periodic(
        [&]() -> awaitable<void> {
            starts.push_back(loop.time() - start);
            most_at_once = std::max(most_at_once, ++running);
            co_await typhoon::gen::sleep(6ms);  // three intervals
            --running;
        },
        2ms);
    periodic.start();
    clock.advance(24ms);
    periodic.stop();
    // Each run is due at the first point of the grid after the previous one ended: the runs
    // that start at 2, 10 and 18 ms end at 8, 16 and 24 ms.
    BOOST_TEST((starts == std::vector<IOLoop::duration>{2ms, 10ms, 18ms}));
    BOOST_TEST(most_at_once == 1);
}

BOOST_AUTO_TEST_CASE(an_exception_is_logged_and_the_runs_go_on) {
    tlog::LogCapture capture{{.logger = &tlog::app_log}};
    IOLoop loop;
    VirtualTime clock(loop);
    int calls = 0;
    PeriodicCallback periodic(
        [&] {
            ++calls;
            throw std::runtime_error("tick failed");
        },
        1ms);
    periodic.start();
    clock.advance(3ms);
    periodic.stop();
    BOOST_TEST(calls == 3);
    const auto records = capture.records();
    BOOST_TEST_REQUIRE(records.size() == 3U);
    BOOST_TEST(records[0].message == "Exception in callback");
    BOOST_TEST(records[0].exception == "std::runtime_error: tick failed");
}

BOOST_AUTO_TEST_CASE(destroying_it_stops_the_calls) {
    IOLoop loop;
    VirtualTime clock(loop);
    int calls = 0;
    {
        PeriodicCallback periodic([&] { ++calls; }, 1ms);
        periodic.start();
    }
    clock.advance(20ms);
    BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_SUITE_END()
