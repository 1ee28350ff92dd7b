#include <typhoon/testing/async_test_case.hpp>

#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/gen.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace typhoon::testing {

std::chrono::steady_clock::duration get_async_test_timeout() {
    if (const char* text = std::getenv("ASYNC_TEST_TIMEOUT")) {
        char* end = nullptr;
        const double seconds = std::strtod(text, &end);
        if (end != text && seconds > 0)
            return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::duration<double>(seconds));
    }
    return std::chrono::seconds(5);
}

/// Notes the exceptions that escaped callbacks, without hiding them from the log.
class AsyncTestCase::CallbackErrors final : public log::Handler {
public:
    bool handle(const log::Record& record) override {
        if (record.logger == log::app_log.name() && record.message == "Exception in callback") {
            const std::lock_guard lock(mutex_);
            errors_.push_back(record.exception);
        }
        return false;
    }
    std::vector<std::string> errors() const {
        const std::lock_guard lock(mutex_);
        return errors_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> errors_;
};

AsyncTestCase::AsyncTestCase(AsyncTestCaseOptions options)
    : loop_(std::make_unique<ioloop::IOLoop>()),
      callback_errors_(std::make_shared<CallbackErrors>()) {
    log::add_handler(callback_errors_);
    if (options.virtual_time) virtual_time_.emplace(*loop_);
}

AsyncTestCase::~AsyncTestCase() {
    log::remove_handler(*callback_errors_);
    ioloop::IOLoop::clear_current();
    loop_.reset();
    virtual_time_.reset();  // after the loop: its timers were set on virtual time
}

void AsyncTestCase::advance(duration step) {
    if (!virtual_time_)
        throw std::logic_error("advance() needs an AsyncTestCase made with .virtual_time = true");
    virtual_time_->advance(step);
}

void AsyncTestCase::teardown() {
    check_no_pending_work();
}

void AsyncTestCase::wait(duration how_long) {
    // Real time, also under virtual time: the loop runs while the test's thread waits.
    run_until(
        [how_long]() -> awaitable<void> {
            boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, how_long);
            co_await timer.async_wait(boost::asio::use_awaitable);
        },
        how_long + get_async_test_timeout());
    // A timer due before the end may have come out of the reactor in the same pass as ours, and
    // run_until() stopped the loop before its handler ran: let it run, as the wait promised.
    auto& context = loop_->context();
    context.restart();
    context.poll();
}

void AsyncTestCase::run_gen_test(const std::function<awaitable<void>()>& body,
                                 std::optional<duration> timeout, const char* file, int line) {
    const auto limit = timeout.value_or(get_async_test_timeout());
    try {
        run_until(body, limit);
    } catch (const gen::TimeoutError&) {
        BOOST_ERROR(file << "(" << line << "): the test timed out after "
                         << std::chrono::duration<double>(limit).count()
                         << " s (ASYNC_TEST_TIMEOUT changes the default)");
    }
}

void AsyncTestCase::check_no_pending_work() {
    if (checked_) return;
    checked_ = true;
    for (const auto& error : callback_errors_->errors())
        BOOST_ERROR("an exception escaped a callback during the test: " << error);
    // Closed sockets and cancelled timers complete their handlers on the next run: give them the
    // chance. run_for() returns as soon as nothing is left, so a clean test loses no time.
    auto& context = loop_->context();
    context.restart();
    context.run_for(std::chrono::milliseconds(200));
    if (!context.stopped())
        BOOST_ERROR(
            "the test left work on its IOLoop (an open socket, a pending timer or an "
            "unfinished coroutine): close what the test opened");
}

}  // namespace typhoon::testing
