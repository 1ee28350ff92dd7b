#include <typhoon/ioloop/ioloop.hpp>

#include <typhoon/core/log.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <thread>

#include "loop_timer.hpp"

namespace typhoon::ioloop {

namespace asio = boost::asio;
using boost::system::error_code;

namespace detail {
struct TimeoutState {
    TimeoutState(asio::io_context& context, IOLoop::time_point when, std::function<void()> call)
        : timer(context, when), callback(std::move(call)) {}
    LoopTimer timer;
    std::function<void()> callback;
    bool removed = false;  // the timer may have fired already, with its handler still queued
};
}  // namespace detail

namespace {

thread_local IOLoop* current_loop = nullptr;
thread_local std::unique_ptr<IOLoop> created_by_current;  // the loop current() had to make

/// Makes a loop current for a scope and puts the previous one back (Tornado's start() does this).
class CurrentScope {
public:
    explicit CurrentScope(IOLoop* loop) noexcept : previous_(std::exchange(current_loop, loop)) {}
    ~CurrentScope() { current_loop = previous_; }
    CurrentScope(const CurrentScope&) = delete;
    CurrentScope& operator=(const CurrentScope&) = delete;

private:
    IOLoop* previous_;
};

void run_logged(const std::function<void()>& callback) noexcept {
    try {
        callback();
    } catch (...) {
        log::app_log.exception("Exception in callback");
    }
}

void log_escaped(std::exception_ptr error) {
    if (error) log::app_log.exception("Exception in callback", error);
}

/// The wait of one run_in_executor call. Both ways of finishing it, the work's result and a
/// cancellation, happen on the loop's thread, so `handler` needs no lock.
struct ExecutorWait {
    std::optional<asio::any_completion_handler<void(error_code)>> handler;
    asio::cancellation_slot slot;
    asio::any_io_executor loop;

    void finish(error_code ec, bool from_cancellation) {
        if (!handler) return;
        auto h = std::move(*handler);
        handler.reset();
        if (!from_cancellation && slot.is_connected()) slot.clear();
        asio::post(loop, [h = std::move(h), ec]() mutable { std::move(h)(ec); });
    }
};

}  // namespace

struct IOLoop::Impl {
    asio::io_context context{1};  // one thread runs a loop; posting from others stays safe
    std::atomic<bool> closed{false};
    bool running = false;
    std::shared_ptr<asio::thread_pool> executor;
};

IOLoop::IOLoop(IOLoopOptions options) : impl_(std::make_unique<Impl>()) {
    if (options.make_current) make_current();
}

IOLoop::~IOLoop() {
    if (current_loop == this) current_loop = nullptr;
    // Join the pool first: its running work posts its results to this loop's context.
    impl_->executor.reset();
}

IOLoop& IOLoop::current() {
    if (!current_loop) {
        created_by_current = std::make_unique<IOLoop>(IOLoopOptions{.make_current = true});
    }
    return *current_loop;
}

IOLoop* IOLoop::current_or_null() noexcept {
    return current_loop;
}

void IOLoop::make_current() noexcept {
    current_loop = this;
}

void IOLoop::clear_current() noexcept {
    current_loop = nullptr;
}

void IOLoop::start() {
    if (impl_->closed) throw Error("IOLoop is closed");
    if (impl_->running) throw Error("IOLoop is already running");
    CurrentScope scope(this);
    impl_->running = true;
    struct Reset {
        Impl& impl;
        ~Reset() {
            impl.context.restart();
            impl.running = false;
        }
    } reset{*impl_};
    auto work = asio::make_work_guard(impl_->context);
    impl_->context.run();
}

void IOLoop::stop() {
    impl_->context.stop();
}

void IOLoop::close() {
    if (impl_->running) throw Error("Cannot close a running IOLoop");
    impl_->closed = true;
    impl_->context.stop();
    if (impl_->executor) {
        impl_->executor->join();
        impl_->executor.reset();
    }
    if (current_loop == this) current_loop = nullptr;
}

void IOLoop::post_callback(std::function<void()> callback) {
    if (impl_->closed.load(std::memory_order_relaxed)) return;
    asio::post(impl_->context, [callback = std::move(callback)] { run_logged(callback); });
}

void IOLoop::post_coroutine(std::function<awaitable<void>()> coroutine) {
    if (impl_->closed.load(std::memory_order_relaxed)) return;
    asio::post(impl_->context, [this, coroutine = std::move(coroutine)]() mutable {
        spawn_coroutine(std::move(coroutine));
    });
}

void IOLoop::spawn_coroutine(std::function<awaitable<void>()> coroutine) {
    asio::co_spawn(impl_->context, std::move(coroutine), log_escaped);
}

Timeout IOLoop::schedule(time_point when, std::function<void()> callback) {
    auto state = std::make_shared<detail::TimeoutState>(impl_->context, when, std::move(callback));
    // The handler owns the state: it lives until the call has run or its cancellation is seen.
    state->timer.async_wait([state](error_code ec) {
        if (ec || state->removed) return;
        state->removed = true;
        run_logged(state->callback);
    });
    return Timeout(state);
}

void IOLoop::remove_timeout(const Timeout& timeout) noexcept {
    if (auto state = timeout.state_.lock()) {
        state->removed = true;
        state->timer.cancel();
    }
}

void IOLoop::run_sync_impl(std::function<awaitable<void>()> coroutine,
                           std::optional<duration> timeout) {
    if (impl_->closed) throw Error("IOLoop is closed");
    if (impl_->running) throw Error("This event loop is already running");
    struct State {
        bool active =
            true;  // false once run_sync has returned: a late completion must not stop a later run
        bool done = false;
        bool timed_out = false;
        std::exception_ptr error;
        asio::cancellation_signal cancel;
    };
    auto state = std::make_shared<State>();
    auto& context = impl_->context;
    asio::co_spawn(context, std::move(coroutine),
                   asio::bind_cancellation_slot(state->cancel.slot(),
                                                [state, &context](std::exception_ptr error) {
                                                    state->done = true;
                                                    state->error = error;
                                                    if (state->active) context.stop();
                                                }));
    std::optional<asio::steady_timer> timer;
    if (timeout) {
        timer.emplace(context, *timeout);
        timer->async_wait([state, &context](error_code ec) {
            if (ec || state->done || !state->active) return;
            state->timed_out = true;
            context.stop();
        });
    }
    struct Deactivate {
        State& state;
        ~Deactivate() { state.active = false; }
    } deactivate{*state};
    start();
    if (state->done) {
        if (state->error) std::rethrow_exception(state->error);
        return;
    }
    if (state->timed_out) {
        // Tornado cancels the future and returns; the coroutine sees its cancellation next time
        // this loop runs (or is destroyed with the loop).
        state->cancel.emit(asio::cancellation_type::terminal);
        std::ostringstream seconds;
        seconds << std::chrono::duration<double>(*timeout).count();
        throw gen::TimeoutError("Operation timed out after " + seconds.str() + " seconds");
    }
    throw Error("Event loop stopped before Future completed.");
}

awaitable<void> IOLoop::run_in_executor_impl(asio::thread_pool& executor,
                                             std::function<void()> work) {
    auto loop = co_await asio::this_coro::executor;
    auto wait = std::make_shared<ExecutorWait>();
    wait->loop = loop;
    co_await asio::async_initiate<decltype(asio::use_awaitable), void(error_code)>(
        [&](auto handler) {
            // any_completion_handler forwards the caller's cancellation to a slot of its own.
            wait->handler.emplace(std::move(handler));
            wait->slot = wait->handler->get_cancellation_slot();
            if (wait->slot.is_connected()) {
                wait->slot.assign([wait](asio::cancellation_type) {
                    wait->finish(asio::error::operation_aborted, true);
                });
            }
            asio::post(executor, [wait, loop, work = std::move(work)] {
                work();  // never throws: the caller's wrapper keeps the outcome
                asio::post(loop, [wait] { wait->finish({}, false); });
            });
        },
        asio::use_awaitable);
}

void IOLoop::set_default_executor(std::shared_ptr<asio::thread_pool> executor) {
    impl_->executor = std::move(executor);
}

asio::thread_pool& IOLoop::default_executor() {
    if (!impl_->executor) {
        // Tornado's default ThreadPoolExecutor has 5 workers per CPU.
        const unsigned cpus = std::max(1U, std::thread::hardware_concurrency());
        impl_->executor = std::make_shared<asio::thread_pool>(cpus * 5);
    }
    return *impl_->executor;
}

asio::io_context& IOLoop::context() noexcept {
    return impl_->context;
}

asio::any_io_executor IOLoop::get_executor() noexcept {
    return impl_->context.get_executor();
}

}  // namespace typhoon::ioloop
