#include <typhoon/ioloop/periodic_callback.hpp>

#include <typhoon/core/error.hpp>
#include <typhoon/core/log.hpp>

#include <boost/asio/co_spawn.hpp>

#include <random>

namespace typhoon::ioloop {

struct PeriodicCallback::State : std::enable_shared_from_this<State> {
    Callbacks callbacks;
    clock::duration callback_time;
    double jitter;
    IOLoop* loop = nullptr;
    bool running = false;
    clock::time_point next_timeout;
    Timeout timeout;

    void run() {
        if (!running) return;
        if (callbacks.coroutine) {
            boost::asio::co_spawn(loop->get_executor(), run_coroutine(shared_from_this()),
                                  [](std::exception_ptr) {});
            return;
        }
        try {
            callbacks.plain();
        } catch (...) {
            log::app_log.exception("Exception in callback");
        }
        schedule_next();
    }

    // The next run is scheduled once the coroutine has finished, as Tornado awaits it.
    static awaitable<void> run_coroutine(std::shared_ptr<State> self) {
        try {
            co_await self->callbacks.coroutine();
        } catch (...) {
            log::app_log.exception("Exception in callback");
        }
        self->schedule_next();
    }

    void schedule_next() {
        if (!running) return;
        double random = 0.5;
        if (jitter != 0) {
            thread_local std::mt19937_64 engine{std::random_device{}()};
            random = std::uniform_real_distribution<double>(0.0, 1.0)(engine);
        }
        next_timeout = next_run_time(next_timeout, loop->time(), callback_time, jitter, random);
        timeout = loop->call_at(next_timeout, [self = shared_from_this()] { self->run(); });
    }
};

PeriodicCallback::PeriodicCallback(Callbacks callbacks, clock::duration callback_time,
                                   double jitter)
    : state_(std::make_shared<State>()) {
    if (callback_time <= clock::duration::zero())
        throw Error("Periodic callback must have a positive callback_time");
    state_->callbacks = std::move(callbacks);
    state_->callback_time = callback_time;
    state_->jitter = jitter;
}

PeriodicCallback::~PeriodicCallback() {
    stop();
}

void PeriodicCallback::start() {
    state_->loop = &IOLoop::current();
    state_->running = true;
    state_->next_timeout = state_->loop->time();
    state_->schedule_next();
}

void PeriodicCallback::stop() {
    state_->running = false;
    if (state_->loop) state_->loop->remove_timeout(state_->timeout);
    state_->timeout = Timeout();
}

bool PeriodicCallback::is_running() const noexcept {
    return state_->running;
}

PeriodicCallback::clock::time_point PeriodicCallback::next_run_time(clock::time_point scheduled,
                                                                    clock::time_point now,
                                                                    clock::duration interval,
                                                                    double jitter, double random) {
    if (jitter != 0) {
        interval =
            std::chrono::duration_cast<clock::duration>(interval * (1 + jitter * (random - 0.5)));
    }
    if (scheduled <= now) {
        // Measured from the start of one run to the start of the next: after an overrun, skip to
        // the next point of the original grid. Integer arithmetic keeps the grid exact.
        return scheduled + ((now - scheduled) / interval + 1) * interval;
    }
    return scheduled + interval;  // the clock went back: still move forward
}

}  // namespace typhoon::ioloop
