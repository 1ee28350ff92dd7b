#include <typhoon/ioloop/gen.hpp>

#include <typhoon/ioloop/condition.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/ioloop/virtual_time.hpp>

#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

using namespace std::chrono_literals;
using typhoon::ioloop::awaitable;
using typhoon::ioloop::IOLoop;
namespace gen = typhoon::gen;
namespace locks = typhoon::locks;

namespace {

/// Runs `coroutine` on a new loop on virtual time: sleeps and timeouts take no real time, and
/// every wait lasts exactly as long as asked.
template <class F>
auto run(F coroutine) {
    IOLoop loop;
    typhoon::ioloop::VirtualTime clock(loop);
    return clock.run_sync(std::move(coroutine));
}

awaitable<int> after(std::chrono::milliseconds delay, int value,
                     std::vector<int>* finished = nullptr) {
    co_await gen::sleep(delay);
    if (finished) finished->push_back(value);
    co_return value;
}

awaitable<int> fail_after(std::chrono::milliseconds delay) {
    co_await gen::sleep(delay);
    throw std::runtime_error("failed");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gen_test)

BOOST_AUTO_TEST_CASE(sleep_resumes_when_its_time_has_passed) {
    run([]() -> awaitable<void> {
        const auto before = IOLoop::current().time();
        co_await gen::sleep(15ms);
        BOOST_TEST((IOLoop::current().time() - before == 15ms));
    });
}

BOOST_AUTO_TEST_CASE(shorter_sleeps_finish_first) {
    std::vector<int> finished;
    run([&]() -> awaitable<void> {
        IOLoop::current().spawn_callback(
            [&]() -> awaitable<void> { co_await after(30ms, 3, &finished); });
        IOLoop::current().spawn_callback(
            [&]() -> awaitable<void> { co_await after(10ms, 1, &finished); });
        co_await after(20ms, 2, &finished);
        co_await gen::sleep(30ms);
    });
    BOOST_TEST(finished == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(moment_lets_ready_callbacks_run_first) {
    std::vector<std::string> steps;
    run([&]() -> awaitable<void> {
        IOLoop::current().add_callback([&] { steps.push_back("callback"); });
        steps.push_back("before moment");
        co_await gen::moment();
        steps.push_back("after moment");
    });
    BOOST_TEST(steps == (std::vector<std::string>{"before moment", "callback", "after moment"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(with_timeout_returns_the_result_when_in_time) {
    const int value =
        run([]() -> awaitable<int> { co_return co_await gen::with_timeout(10s, after(1ms, 5)); });
    BOOST_TEST(value == 5);
}

BOOST_AUTO_TEST_CASE(with_timeout_accepts_an_absolute_deadline) {
    run([]() -> awaitable<void> {
        co_await gen::with_timeout(IOLoop::current().time() + 10s, gen::sleep(1ms));
    });
}

BOOST_AUTO_TEST_CASE(with_timeout_raises_timeout_error_and_cancels_the_operation) {
    bool cancelled = false;
    run([&]() -> awaitable<void> {
        locks::Event never;
        auto wait_forever = [&]() -> awaitable<void> {
            try {
                co_await never.wait();
            } catch (const boost::system::system_error&) {
                cancelled = true;
                throw;
            }
        };
        const auto before = IOLoop::current().time();
        try {
            co_await gen::with_timeout(10ms, wait_forever());
            BOOST_FAIL("with_timeout returned");
        } catch (const gen::TimeoutError& e) {
            BOOST_TEST(std::string(e.what()) == "Timeout");
        }
        BOOST_TEST((IOLoop::current().time() - before == 10ms));
    });
    BOOST_TEST(cancelled);
}

BOOST_AUTO_TEST_CASE(timeout_error_is_a_typhoon_error) {
    BOOST_CHECK_THROW(
        run([]() -> awaitable<void> { co_await gen::with_timeout(1ms, gen::sleep(10s)); }),
        typhoon::Error);
}

BOOST_AUTO_TEST_CASE(with_timeout_passes_the_operations_exception_through) {
    BOOST_CHECK_THROW(
        run([]() -> awaitable<int> { co_return co_await gen::with_timeout(10s, fail_after(1ms)); }),
        std::runtime_error);
}

BOOST_AUTO_TEST_CASE(multi_returns_results_in_the_order_given_not_the_order_finished) {
    std::vector<int> finished;
    const auto results = run([&]() -> awaitable<std::vector<int>> {
        std::vector<awaitable<int>> operations;
        operations.push_back(after(30ms, 1, &finished));
        operations.push_back(after(10ms, 2, &finished));
        operations.push_back(after(20ms, 3, &finished));
        co_return co_await gen::multi(std::move(operations));
    });
    BOOST_TEST(results == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
    BOOST_TEST(finished == (std::vector<int>{2, 3, 1}),
               boost::test_tools::per_element());  // concurrently
}

BOOST_AUTO_TEST_CASE(multi_of_nothing_is_empty) {
    const auto results = run([]() -> awaitable<std::vector<int>> {
        co_return co_await gen::multi(std::vector<awaitable<int>>{});
    });
    BOOST_TEST(results.empty());
}

BOOST_AUTO_TEST_CASE(multi_of_different_types_gives_a_tuple) {
    const auto [number, text] = run([]() -> awaitable<std::tuple<int, std::string>> {
        auto word = []() -> awaitable<std::string> {
            co_await gen::moment();
            co_return "tornado";
        };
        co_return co_await gen::multi(after(5ms, 9), word());
    });
    BOOST_TEST(number == 9);
    BOOST_TEST(text == "tornado");
}

BOOST_AUTO_TEST_CASE(multi_of_void_operations_waits_for_all) {
    std::vector<int> finished;
    run([&]() -> awaitable<void> {
        auto step = [&](std::chrono::milliseconds delay, int id) -> awaitable<void> {
            co_await after(delay, id, &finished);
        };
        std::vector<awaitable<void>> operations;
        operations.push_back(step(20ms, 1));
        operations.push_back(step(5ms, 2));
        co_await gen::multi(std::move(operations));
    });
    BOOST_TEST(finished == (std::vector<int>{2, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(multi_raises_the_first_error_and_cancels_the_rest) {
    bool other_cancelled = false;
    run([&]() -> awaitable<void> {
        locks::Condition never;
        auto waits_forever = [&]() -> awaitable<int> {
            try {
                co_await never.wait();
            } catch (const boost::system::system_error&) {
                other_cancelled = true;
                throw;
            }
            co_return 0;
        };
        std::vector<awaitable<int>> operations;
        operations.push_back(waits_forever());
        operations.push_back(fail_after(5ms));
        try {
            co_await gen::multi(std::move(operations));
            BOOST_FAIL("multi returned");
        } catch (const std::runtime_error& e) {
            BOOST_TEST(std::string(e.what()) == "failed");
        }
    });
    BOOST_TEST(other_cancelled);
}

BOOST_AUTO_TEST_SUITE_END()
