// Times the IOLoop's callback paths and a Queue ping-pong in Typhoon; ioloop_bench.py runs the
// same workloads through Tornado. Prints "<workload> <nanoseconds per operation>" per line.
#include <typhoon/ioloop.hpp>

#include <chrono>
#include <iostream>
#include <thread>

namespace {

using boost::asio::awaitable;
using typhoon::ioloop::IOLoop;
using typhoon::queues::Queue;
using clock_type = std::chrono::steady_clock;

constexpr int kCallbacks = 200000;
constexpr int kRoundTrips = 50000;

void report(const char* name, clock_type::duration elapsed, int operations) {
    std::cout << name << ' '
              << std::chrono::duration<double, std::nano>(elapsed).count() / operations << '\n';
}

/// kCallbacks callbacks queued at once by a callback on the running loop; the last one stops it.
void add_callback() {
    IOLoop loop;
    int done = 0;
    const auto start = clock_type::now();
    loop.add_callback([&] {
        for (int i = 0; i < kCallbacks; ++i) {
            loop.add_callback([&] {
                if (++done == kCallbacks) loop.stop();
            });
        }
    });
    loop.start();
    report("add_callback", clock_type::now() - start, kCallbacks);
}

/// The same number of coroutines, each spawned and run to completion.
void spawn_callback() {
    IOLoop loop;
    int done = 0;
    const auto start = clock_type::now();
    loop.add_callback([&] {
        for (int i = 0; i < kCallbacks; ++i) {
            loop.spawn_callback([&]() -> awaitable<void> {
                if (++done == kCallbacks) loop.stop();
                co_return;
            });
        }
    });
    loop.start();
    report("spawn_callback", clock_type::now() - start, kCallbacks);
}

/// Another thread adds the callbacks while the loop runs them (the thread-safe path).
void add_callback_thread() {
    IOLoop loop;
    int done = 0;
    const auto start = clock_type::now();
    std::thread producer([&] {
        for (int i = 0; i < kCallbacks; ++i) {
            loop.add_callback([&] {
                if (++done == kCallbacks) loop.stop();
            });
        }
    });
    loop.start();
    producer.join();
    report("add_callback_thread", clock_type::now() - start, kCallbacks);
}

/// Two coroutines bounce an item through two unbounded queues; one round trip is two put/get pairs.
void queue_ping_pong() {
    IOLoop loop;
    Queue<int> ping, pong;
    const auto start = clock_type::now();
    loop.run_sync([&]() -> awaitable<void> {
        IOLoop::current().spawn_callback([&]() -> awaitable<void> {
            for (int i = 0; i < kRoundTrips; ++i)
                co_await pong.put(co_await ping.get());
        });
        for (int i = 0; i < kRoundTrips; ++i) {
            co_await ping.put(i);
            (void)co_await pong.get();
        }
    });
    report("queue_ping_pong", clock_type::now() - start, kRoundTrips);
}

}  // namespace

int main() {
    add_callback();
    spawn_callback();
    add_callback_thread();
    queue_ping_pong();
}
