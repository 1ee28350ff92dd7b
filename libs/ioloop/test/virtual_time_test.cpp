#include <typhoon/ioloop/virtual_time.hpp>

#include <typhoon/ioloop/event.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/ioloop/periodic_callback.hpp>

#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using typhoon::ioloop::awaitable;
using typhoon::ioloop::IOLoop;
using typhoon::ioloop::LoopClock;
using typhoon::ioloop::VirtualTime;
namespace gen = typhoon::gen;

BOOST_AUTO_TEST_SUITE(virtual_time_test)

BOOST_AUTO_TEST_CASE(the_clock_stands_still_until_advanced) {
    IOLoop loop;
    VirtualTime clock(loop);
    BOOST_TEST(LoopClock::frozen());
    const auto before = loop.time();
    std::this_thread::sleep_for(2ms);  // real time passes, virtual time does not
    BOOST_TEST((loop.time() == before));
    clock.advance(1h);
    BOOST_TEST((loop.time() - before == 1h));
    BOOST_TEST((clock.elapsed() == 1h));
}

BOOST_AUTO_TEST_CASE(a_call_runs_when_the_clock_reaches_its_deadline) {
    IOLoop loop;
    VirtualTime clock(loop);
    bool retried = false;
    loop.call_later(30s, [&] { retried = true; });
    clock.advance(29s);
    BOOST_TEST(!retried);
    clock.advance(1s);
    BOOST_TEST(retried);
}

BOOST_AUTO_TEST_CASE(each_timer_runs_at_its_own_time_in_order) {
    IOLoop loop;
    VirtualTime clock(loop);
    const auto start = loop.time();
    std::vector<std::string> seen;
    const auto note = [&](std::string name) {
        return
            [&, name] { seen.push_back(name + "@" + std::to_string((loop.time() - start) / 1s)); };
    };
    loop.call_later(3s, note("c"));
    loop.call_later(1s, note("a"));
    loop.call_later(2s, [&, note] {
        note("b")();
        loop.call_later(2s, note("d"));  // due at 4 s, inside the same advance
    });
    clock.advance(10s);
    BOOST_TEST(seen == (std::vector<std::string>{"a@1", "b@2", "c@3", "d@4"}),
               boost::test_tools::per_element());
    BOOST_TEST((clock.elapsed() == 10s));
}

BOOST_AUTO_TEST_CASE(a_periodic_callback_runs_once_per_interval_advanced_over) {
    IOLoop loop;
    VirtualTime clock(loop);
    int runs = 0;
    typhoon::ioloop::PeriodicCallback tick([&runs] { ++runs; }, 5s);
    tick.start();
    clock.advance(20s);
    BOOST_TEST(runs == 4);
    clock.advance(4s);
    BOOST_TEST(runs == 4);
    tick.stop();
}

BOOST_AUTO_TEST_CASE(advance_runs_what_is_ready_before_moving_the_clock) {
    IOLoop loop;
    VirtualTime clock(loop);
    std::vector<int> woke_after;
    const auto start = loop.time();
    loop.spawn_callback([&]() -> awaitable<void> {
        co_await gen::sleep(10min);  // starts at the old time, so it ends at 10 min
        woke_after.push_back(static_cast<int>((loop.time() - start) / 1min));
    });
    clock.advance(15min);
    BOOST_TEST(woke_after == (std::vector<int>{10}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(run_sync_jumps_over_sleeps_and_timeouts) {
    IOLoop loop;
    VirtualTime clock(loop);
    const auto real_start = std::chrono::steady_clock::now();
    const int value = clock.run_sync([]() -> awaitable<int> {
        co_await gen::sleep(1h);
        typhoon::locks::Event never;
        try {
            co_await never.wait(30min);
        } catch (const gen::TimeoutError&) {
            co_return 7;
        }
        co_return 0;
    });
    BOOST_TEST(value == 7);
    BOOST_TEST((clock.elapsed() == 90min));
    BOOST_TEST((std::chrono::steady_clock::now() - real_start < 10s));
}

BOOST_AUTO_TEST_CASE(run_sync_waits_in_real_time_for_other_threads) {
    IOLoop loop;
    VirtualTime clock(loop);
    const int value = clock.run_sync([&]() -> awaitable<int> {
        co_return co_await loop.run_in_executor([] {
            std::this_thread::sleep_for(5ms);
            return 42;
        });
    });
    BOOST_TEST(value == 42);
    BOOST_TEST((clock.elapsed() == 0s));
}

BOOST_AUTO_TEST_CASE(run_sync_gives_up_after_its_real_timeout) {
    IOLoop loop;
    VirtualTime clock(loop);
    typhoon::locks::Event never;
    bool cancelled = false;
    BOOST_CHECK_THROW(clock.run_sync(
                          [&]() -> awaitable<void> {
                              try {
                                  co_await never.wait();
                              } catch (const boost::system::system_error&) {
                                  cancelled = true;
                              }
                          },
                          20ms),
                      gen::TimeoutError);
    BOOST_TEST(cancelled);
}

BOOST_AUTO_TEST_CASE(run_sync_rethrows_the_coroutines_exception) {
    IOLoop loop;
    VirtualTime clock(loop);
    BOOST_CHECK_THROW(clock.run_sync([]() -> awaitable<void> {
        co_await gen::sleep(1s);
        throw std::out_of_range("no such item");
    }),
                      std::out_of_range);
}

BOOST_AUTO_TEST_CASE(one_virtual_clock_per_thread_and_real_time_after_it) {
    IOLoop loop;
    {
        VirtualTime clock(loop);
        BOOST_CHECK_THROW(VirtualTime second(loop), typhoon::Error);
    }
    BOOST_TEST(!LoopClock::frozen());
}

BOOST_AUTO_TEST_SUITE_END()
