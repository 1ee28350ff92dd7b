#include <typhoon/ioloop/ioloop.hpp>

#include <typhoon/core/log.hpp>
#include <typhoon/core/log_capture.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/virtual_time.hpp>

#include <boost/asio/thread_pool.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using typhoon::ioloop::awaitable;
using typhoon::ioloop::IOLoop;
using typhoon::ioloop::Timeout;
using typhoon::ioloop::VirtualTime;
namespace gen = typhoon::gen;
namespace tlog = typhoon::log;

BOOST_AUTO_TEST_SUITE(ioloop_test)

BOOST_AUTO_TEST_CASE(current_is_created_on_demand_once_per_thread) {
    IOLoop::clear_current();
    BOOST_TEST(IOLoop::current_or_null() == nullptr);
    IOLoop& mine = IOLoop::current();
    BOOST_TEST(&IOLoop::current() == &mine);
    IOLoop* other = nullptr;
    std::thread([&] { other = &IOLoop::current(); }).join();
    BOOST_TEST(other != &mine);
    IOLoop::clear_current();
}

BOOST_AUTO_TEST_CASE(a_new_loop_becomes_current_until_destroyed) {
    {
        IOLoop loop;
        BOOST_TEST(IOLoop::current_or_null() == &loop);
        IOLoop quiet({.make_current = false});
        BOOST_TEST(IOLoop::current_or_null() == &loop);
    }
    BOOST_TEST(IOLoop::current_or_null() == nullptr);
}

BOOST_AUTO_TEST_CASE(start_runs_callbacks_in_the_order_added_until_stop) {
    IOLoop loop;
    std::vector<int> calls;
    loop.add_callback([&] { calls.push_back(1); });
    loop.add_callback([&] { calls.push_back(2); });
    loop.add_callback([&] {
        calls.push_back(3);
        loop.add_callback([&] { calls.push_back(5); });  // next iteration: after 4
    });
    loop.add_callback([&] { calls.push_back(4); });
    loop.add_callback([&] { loop.add_callback([&] { loop.stop(); }); });
    loop.start();
    BOOST_TEST(calls == (std::vector<int>{1, 2, 3, 4, 5}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stop_keeps_pending_callbacks_for_the_next_start) {
    IOLoop loop;
    std::vector<std::string> calls;
    loop.add_callback([&] {
        calls.push_back("first");
        loop.stop();
    });
    loop.add_callback([&] {
        calls.push_back("second");
        loop.stop();
    });
    loop.start();
    BOOST_TEST(calls == (std::vector<std::string>{"first"}), boost::test_tools::per_element());
    loop.start();
    BOOST_TEST(calls == (std::vector<std::string>{"first", "second"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(start_makes_the_loop_current_and_restores_the_previous_one) {
    IOLoop outer;
    IOLoop inner({.make_current = false});
    IOLoop* seen = nullptr;
    inner.add_callback([&] {
        seen = IOLoop::current_or_null();
        inner.stop();
    });
    inner.start();
    BOOST_TEST(seen == &inner);
    BOOST_TEST(IOLoop::current_or_null() == &outer);
}

BOOST_AUTO_TEST_CASE(starting_a_running_loop_is_an_error) {
    IOLoop loop;
    bool refused = false;
    loop.add_callback([&] {
        try {
            loop.start();
        } catch (const typhoon::Error&) {
            refused = true;
        }
        loop.stop();
    });
    loop.start();
    BOOST_TEST(refused);
}

BOOST_AUTO_TEST_CASE(a_closed_loop_drops_callbacks_and_refuses_to_start) {
    IOLoop loop;
    bool called = false;
    loop.close();
    loop.add_callback([&] { called = true; });
    BOOST_CHECK_THROW(loop.start(), typhoon::Error);
    BOOST_TEST(!called);
    BOOST_TEST(IOLoop::current_or_null() == nullptr);
}

BOOST_AUTO_TEST_CASE(exception_escaping_a_callback_is_logged_and_the_loop_goes_on) {
    tlog::LogCapture capture{{.logger = &tlog::app_log}};
    IOLoop loop;
    bool later_ran = false;
    loop.add_callback([] { throw std::runtime_error("boom"); });
    loop.add_callback([&] {
        later_ran = true;
        loop.stop();
    });
    loop.start();
    BOOST_TEST(later_ran);
    const auto records = capture.records();
    BOOST_TEST_REQUIRE(records.size() == 1U);
    BOOST_TEST((records[0].level == tlog::Level::error));
    BOOST_TEST(records[0].message == "Exception in callback");
    BOOST_TEST(records[0].exception == "std::runtime_error: boom");
}

BOOST_AUTO_TEST_CASE(exception_escaping_a_spawned_coroutine_is_logged_and_the_loop_goes_on) {
    tlog::LogCapture capture{{.logger = &tlog::app_log}};
    IOLoop loop;
    std::vector<std::string> steps;
    loop.spawn_callback([&]() -> awaitable<void> {
        steps.push_back("failing starts");
        co_await gen::moment();
        throw std::logic_error("bad state");
    });
    loop.spawn_callback([&]() -> awaitable<void> {
        steps.push_back("other starts");
        co_await gen::sleep(10ms);
        steps.push_back("other ends");
    });
    VirtualTime clock(loop);
    clock.advance(10ms);
    BOOST_TEST(steps == (std::vector<std::string>{"failing starts", "other starts", "other ends"}),
               boost::test_tools::per_element());
    const auto records = capture.records();
    BOOST_TEST_REQUIRE(records.size() == 1U);
    BOOST_TEST(records[0].message == "Exception in callback");
    BOOST_TEST(records[0].exception == "std::logic_error: bad state");
}

BOOST_AUTO_TEST_CASE(run_sync_returns_the_coroutines_result) {
    IOLoop loop;
    const int answer = loop.run_sync([]() -> awaitable<int> {
        co_await gen::moment();  // suspended: run_sync runs the loop until it finishes
        co_return 42;
    });
    BOOST_TEST(answer == 42);
}

BOOST_AUTO_TEST_CASE(run_sync_rethrows_the_coroutines_exception) {
    IOLoop loop;
    BOOST_CHECK_THROW(loop.run_sync([]() -> awaitable<void> {
        co_await gen::moment();
        throw std::out_of_range("no such item");
    }),
                      std::out_of_range);
}

BOOST_AUTO_TEST_CASE(run_sync_times_out_and_cancels_the_coroutine) {
    IOLoop loop;
    typhoon::locks::Event never;
    bool cancelled = false;
    try {
        loop.run_sync(
            [&]() -> awaitable<void> {
                try {
                    co_await never.wait();
                } catch (const boost::system::system_error&) {
                    cancelled = true;
                }
            },
            20ms);
        BOOST_FAIL("run_sync returned");
    } catch (const gen::TimeoutError& e) {
        BOOST_TEST(std::string(e.what()) == "Operation timed out after 0.02 seconds");
    }
    // The loop still works, and the abandoned coroutine has seen its cancellation.
    BOOST_TEST(loop.run_sync([]() -> awaitable<int> { co_return 7; }) == 7);
    BOOST_TEST(cancelled);
}

BOOST_AUTO_TEST_CASE(run_sync_makes_the_loop_current_while_it_runs) {
    IOLoop loop({.make_current = false});
    IOLoop* seen =
        loop.run_sync([]() -> awaitable<IOLoop*> { co_return IOLoop::current_or_null(); });
    BOOST_TEST(seen == &loop);
    BOOST_TEST(IOLoop::current_or_null() == nullptr);
}

// The timer tests run on virtual time (VirtualTime): instant, and exact about when things run.

BOOST_AUTO_TEST_CASE(call_later_runs_callbacks_in_deadline_order) {
    IOLoop loop;
    VirtualTime clock(loop);
    std::vector<char> calls;
    loop.call_later(30ms, [&] { calls.push_back('c'); });
    loop.call_later(10ms, [&] { calls.push_back('a'); });
    loop.call_later(20ms, [&] { calls.push_back('b'); });
    clock.advance(19ms);
    BOOST_TEST(calls == (std::vector<char>{'a'}), boost::test_tools::per_element());
    clock.advance(21ms);
    BOOST_TEST(calls == (std::vector<char>{'a', 'b', 'c'}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(call_at_never_runs_before_its_deadline) {
    IOLoop loop;
    VirtualTime clock(loop);
    const auto deadline = loop.time() + 15ms;
    std::optional<IOLoop::time_point> ran_at;
    loop.call_at(deadline, [&] { ran_at = loop.time(); });
    clock.advance(15ms - 1ns);
    BOOST_TEST(!ran_at);
    clock.advance(1ns);
    BOOST_TEST_REQUIRE(ran_at.has_value());
    BOOST_TEST((*ran_at == deadline));
}

BOOST_AUTO_TEST_CASE(add_timeout_accepts_a_duration_or_a_deadline) {
    IOLoop loop;
    VirtualTime clock(loop);
    const auto start = loop.time();
    std::vector<IOLoop::duration> calls;
    loop.add_timeout(loop.time() + 10ms, [&] { calls.push_back(loop.time() - start); });
    loop.add_timeout(20ms, [&] { calls.push_back(loop.time() - start); });
    clock.advance(1s);
    BOOST_TEST((calls == std::vector<IOLoop::duration>{10ms, 20ms}));
}

BOOST_AUTO_TEST_CASE(call_later_accepts_a_coroutine) {
    IOLoop loop;
    VirtualTime clock(loop);
    bool done = false;
    loop.call_later(1ms, [&]() -> awaitable<void> {
        co_await gen::moment();
        done = true;
    });
    clock.advance(1ms);
    BOOST_TEST(done);
}

BOOST_AUTO_TEST_CASE(remove_timeout_cancels_a_pending_call) {
    IOLoop loop;
    VirtualTime clock(loop);
    bool removed_ran = false;
    const Timeout timeout = loop.call_later(5ms, [&] { removed_ran = true; });
    loop.remove_timeout(timeout);
    loop.remove_timeout(timeout);    // twice is harmless
    loop.remove_timeout(Timeout());  // so is an empty handle
    clock.advance(20ms);
    BOOST_TEST(!removed_ran);
}

BOOST_AUTO_TEST_CASE(remove_timeout_after_the_call_ran_does_nothing) {
    IOLoop loop;
    VirtualTime clock(loop);
    int runs = 0;
    const Timeout timeout = loop.call_later(1ms, [&] { ++runs; });
    clock.advance(1ms);
    loop.remove_timeout(timeout);
    clock.advance(1ms);
    BOOST_TEST(runs == 1);
}

// On real time on purpose: both timers must be due when the loop looks at its timers once, which
// VirtualTime::advance() never arranges (it stops at each timer in turn).
BOOST_AUTO_TEST_CASE(a_timeout_removed_by_an_earlier_callback_of_the_same_iteration_does_not_run) {
    IOLoop loop;
    bool second_ran = false;
    Timeout second;
    const auto when = loop.time() + 5ms;
    loop.call_at(when, [&] { loop.remove_timeout(second); });
    second = loop.call_at(when + 1ns, [&] { second_ran = true; });
    loop.call_at(when + 20ms, [&] { loop.stop(); });
    loop.start();
    BOOST_TEST(!second_ran);
}

BOOST_AUTO_TEST_CASE(time_is_monotonic) {
    IOLoop loop;
    const auto first = loop.time();
    const auto second = loop.time();
    BOOST_TEST((second >= first));
}

BOOST_AUTO_TEST_CASE(add_callback_is_safe_from_many_threads_at_once) {
    IOLoop loop;
    constexpr int threads = 8;
    constexpr int per_thread = 2000;
    // Touched only on the loop thread, so a race would be ThreadSanitizer's to report.
    std::vector<int> next_expected(threads, 0);
    int total = 0;
    bool in_order = true;
    const auto loop_thread = std::this_thread::get_id();
    bool on_loop_thread = true;

    std::vector<std::thread> producers;
    for (int t = 0; t < threads; ++t) {
        producers.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                loop.add_callback([&, t, i] {
                    on_loop_thread = on_loop_thread && std::this_thread::get_id() == loop_thread;
                    in_order = in_order && next_expected[t] == i;
                    next_expected[t] = i + 1;
                    if (++total == threads * per_thread) loop.stop();
                });
            }
        });
    }
    loop.start();
    for (auto& producer : producers)
        producer.join();
    BOOST_TEST(total == threads * per_thread);
    BOOST_TEST(in_order);  // each thread's callbacks run in the order that thread added them
    BOOST_TEST(on_loop_thread);
}

BOOST_AUTO_TEST_CASE(run_in_executor_runs_elsewhere_and_resumes_on_the_loop) {
    IOLoop loop;
    const auto loop_thread = std::this_thread::get_id();
    std::thread::id worker, resumed;
    const int value = loop.run_sync([&]() -> awaitable<int> {
        const int result = co_await loop.run_in_executor([&] {
            worker = std::this_thread::get_id();
            return 6 * 7;
        });
        resumed = std::this_thread::get_id();
        co_return result;
    });
    BOOST_TEST(value == 42);
    BOOST_TEST((worker != loop_thread));
    BOOST_TEST((resumed == loop_thread));
}

BOOST_AUTO_TEST_CASE(run_in_executor_brings_the_exception_back) {
    IOLoop loop;
    BOOST_CHECK_THROW(loop.run_sync([&]() -> awaitable<void> {
        co_await loop.run_in_executor([] { throw std::invalid_argument("bad input"); });
    }),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(run_in_executor_uses_the_default_executor_that_was_set) {
    IOLoop loop;
    auto pool = std::make_shared<boost::asio::thread_pool>(1);
    std::thread::id pool_thread;
    boost::asio::post(*pool, [&] { pool_thread = std::this_thread::get_id(); });
    loop.set_default_executor(pool);
    const auto ids = loop.run_sync([&]() -> awaitable<std::vector<std::thread::id>> {
        std::vector<std::thread::id> seen;
        seen.push_back(co_await loop.run_in_executor([] { return std::this_thread::get_id(); }));
        seen.push_back(
            co_await loop.run_in_executor(*pool, [] { return std::this_thread::get_id(); }));
        co_return seen;
    });
    BOOST_TEST((ids[0] == pool_thread));  // a one-thread pool: the post above ran first
    BOOST_TEST((ids[1] == pool_thread));
}

BOOST_AUTO_TEST_CASE(a_timed_out_wait_for_the_executor_lets_the_work_finish_unobserved) {
    IOLoop loop;
    boost::asio::thread_pool pool(1);
    std::promise<void> release;
    auto released = release.get_future().share();
    bool timed_out = false;
    VirtualTime clock(loop);
    clock.run_sync([&]() -> awaitable<void> {
        auto blocked = [released] {
            released.wait();
            return 1;
        };
        try {
            // On virtual time the loop is idle while the work blocks: the timeout is due at once.
            co_await gen::with_timeout(10ms, loop.run_in_executor(pool, std::move(blocked)));
        } catch (const gen::TimeoutError&) {
            timed_out = true;
        }
        release.set_value();
        // The pool has one thread: this runs after the abandoned work has finished.
        BOOST_TEST(co_await loop.run_in_executor(pool, [] { return 2; }) == 2);
    });
    BOOST_TEST(timed_out);
}

BOOST_AUTO_TEST_SUITE_END()
