// Tornado's producer/consumer example from the tornado.queues docs, in Typhoon: a producer puts
// five items into a queue of two places, a consumer works on them, and join() waits for it all.
// The output is the same as Tornado's, line for line (the smoke test checks it).
#include <typhoon/ioloop.hpp>

#include <iostream>

using namespace std::chrono_literals;
using boost::asio::awaitable;
using typhoon::ioloop::IOLoop;
using typhoon::queues::Queue;
namespace gen = typhoon::gen;

namespace {

// Tornado: `async for item in q:` with `q.task_done()` in a `finally:`. It never returns; the
// loop drops it when the program ends.
awaitable<void> consumer(Queue<int>& q) {
    for (;;) {
        const int item = co_await q.get();
        std::cout << "Doing work on " << item << std::endl;
        co_await gen::sleep(10ms);
        q.task_done();
    }
}

awaitable<void> producer(Queue<int>& q) {
    for (int item = 0; item < 5; ++item) {
        co_await q.put(item);  // waits while two items are queued
        std::cout << "Put " << item << std::endl;
    }
}

}  // namespace

int main() {
    IOLoop loop;  // declared first so that it outlives the queue that the consumer waits on
    Queue<int> q{2};
    loop.run_sync([&]() -> awaitable<void> {
        IOLoop::current().spawn_callback([&] { return consumer(q); });  // started, not awaited
        co_await producer(q);  // until every item is in the queue
        co_await q.join();     // until the consumer has marked every item task_done()
        std::cout << "Done" << std::endl;
    });
}
