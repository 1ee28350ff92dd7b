#ifndef TYPHOON_TESTING_ASYNC_TEST_CASE_HPP
#define TYPHOON_TESTING_ASYNC_TEST_CASE_HPP

#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/ioloop/virtual_time.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

/** @file
    AsyncTestCase, the Boost.Test fixture for code on an IOLoop, and TYPHOON_GEN_TEST, the
    coroutine test case (tornado.testing.AsyncTestCase and gen_test). */

/// Boost.Test fixtures for asynchronous code and HTTP applications (tornado.testing).
namespace typhoon::testing {

using boost::asio::awaitable;

/// How long a coroutine test may run: the ASYNC_TEST_TIMEOUT environment variable (seconds,
/// fractions allowed), else 5 seconds, as in Tornado.
std::chrono::steady_clock::duration get_async_test_timeout();

/// How an AsyncTestCase runs its tests.
struct AsyncTestCaseOptions {
    /** Run the test on virtual time (an ioloop::VirtualTime on the test's loop): call_later,
        PeriodicCallback, gen::sleep and timeouts wait for advance(), which moves the clock and
        runs what falls due, at once and in order of time. The test's own timeout stays real. */
    bool virtual_time = false;
};

/** A Boost.Test fixture for code on an IOLoop (tornado.testing.AsyncTestCase). Each test gets a
    fresh loop, made current. After the test it fails the test if an exception escaped a callback
    ("Exception in callback" on app_log, unless an ExpectLog took the record) or if the loop still
    has work: a socket left open, a timer left pending — the handles a test leaked.

        BOOST_FIXTURE_TEST_SUITE(queue_tests, typhoon::testing::AsyncTestCase)
        TYPHOON_GEN_TEST(put_then_get) {            // the body is a coroutine on io_loop()
            queues::Queue<int> q;
            co_await q.put(1);
            BOOST_TEST(co_await q.get() == 1);
        }
        BOOST_AUTO_TEST_SUITE_END()  */
class AsyncTestCase {
public:
    /// Timeouts and waits are on the loop's clock (IOLoop::duration).
    using duration = std::chrono::steady_clock::duration;

    /// Makes the test's loop and makes it current; freezes its clock with `.virtual_time`.
    explicit AsyncTestCase(AsyncTestCaseOptions options = {});
    virtual ~AsyncTestCase();
    AsyncTestCase(const AsyncTestCase&) = delete;
    AsyncTestCase& operator=(const AsyncTestCase&) = delete;

    ///@{
    /// Boost.Test calls these around each test; a fixture that hides them must call them.
    /// teardown() runs check_no_pending_work().
    void setup() {}
    void teardown();
    ///@}

    /// The test's loop (Tornado's `self.io_loop`), current on the test's thread.
    ioloop::IOLoop& io_loop() noexcept { return *loop_; }

    /** Runs the loop until `coroutine()` (a function returning awaitable<T>) completes and
        returns its result; throws what it throws, and gen::TimeoutError after `timeout`
        (get_async_test_timeout() by default). */
    template <class F>
    auto run_until(F coroutine, std::optional<duration> timeout = std::nullopt) {
        return loop_->run_sync(std::move(coroutine), timeout.value_or(get_async_test_timeout()));
    }

    /// Runs the loop for `how_long` of real time, letting callbacks and timers fire (for tests
    /// that observe side effects rather than await a result).
    void wait(duration how_long);

    /** With virtual_time: moves the loop's clock forward by `step` and runs every callback,
        timer and coroutine that falls due (Tornado has nothing like it):

            io_loop().call_later(30s, [&] { retried = true; });
            advance(29s);  BOOST_TEST(!retried);
            advance(1s);   BOOST_TEST(retried);

        The clock stops at each timer on the way (ioloop::VirtualTime::advance): a 5 s
        PeriodicCallback runs four times in advance(20s). */
    void advance(duration step);

    /// What TYPHOON_GEN_TEST runs: `body()` under run_until(), a timeout reported with the
    /// test's location.
    void run_gen_test(const std::function<awaitable<void>()>& body, std::optional<duration> timeout,
                      const char* file, int line);

protected:
    /// Gives the loop a moment to finish cancelled operations, then fails the test if work is
    /// left. Subclasses close what they own first, then call it (teardown() does).
    void check_no_pending_work();

private:
    class CallbackErrors;
    std::unique_ptr<ioloop::IOLoop> loop_;
    std::optional<ioloop::VirtualTime> virtual_time_;
    std::shared_ptr<CallbackErrors> callback_errors_;
    bool checked_ = false;
};

}  // namespace typhoon::testing

/** A test whose body is a coroutine run on the fixture's loop (tornado.testing.gen_test), inside
    a BOOST_FIXTURE_TEST_SUITE whose fixture derives from AsyncTestCase. The body can use the
    fixture's members and co_await; it fails with its location when it outlasts the timeout
    (get_async_test_timeout(), or the one given to TYPHOON_GEN_TEST_TIMEOUT). */
#define TYPHOON_GEN_TEST(test_name, ...) \
    TYPHOON_GEN_TEST_TIMEOUT(test_name, std::nullopt __VA_OPT__(, ) __VA_ARGS__)

/// As TYPHOON_GEN_TEST with its own timeout (a duration); Boost.Test decorators may follow.
#define TYPHOON_GEN_TEST_TIMEOUT(test_name, timeout, ...)                                     \
    struct test_name##_coroutine : public BOOST_AUTO_TEST_CASE_FIXTURE {                      \
        boost::asio::awaitable<void> gen_body();                                              \
    };                                                                                        \
    BOOST_FIXTURE_TEST_CASE(test_name, test_name##_coroutine __VA_OPT__(, ) __VA_ARGS__) {    \
        this->run_gen_test([this] { return this->gen_body(); }, timeout, __FILE__, __LINE__); \
    }                                                                                         \
    boost::asio::awaitable<void> test_name##_coroutine::gen_body()

#endif
