#include <typhoon/ioloop/queue.hpp>

#include "coroutine_helpers.hpp"

#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using typhoon::ioloop::awaitable;
using typhoon::ioloop::IOLoop;
namespace gen = typhoon::gen;
namespace queues = typhoon::queues;

using ioloop_test_helpers::run;
using ioloop_test_helpers::settle;
using ioloop_test_helpers::spawn;

BOOST_AUTO_TEST_SUITE(queues_test)

BOOST_AUTO_TEST_CASE(nowait_calls_are_first_in_first_out) {
    queues::Queue<int> q;
    q.put_nowait(1);
    q.put_nowait(2);
    q.put_nowait(3);
    BOOST_TEST(q.qsize() == 3U);
    BOOST_TEST(q.get_nowait() == 1);
    BOOST_TEST(q.get_nowait() == 2);
    BOOST_TEST(q.get_nowait() == 3);
    BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_CASE(get_nowait_on_an_empty_queue_raises_queue_empty) {
    queues::Queue<int> q;
    BOOST_CHECK_THROW(q.get_nowait(), queues::QueueEmpty);
    BOOST_CHECK_THROW(q.get_nowait(), typhoon::Error);
}

BOOST_AUTO_TEST_CASE(put_nowait_on_a_full_queue_raises_queue_full) {
    queues::Queue<int> q(2);
    BOOST_TEST(q.maxsize() == 2U);
    q.put_nowait(1);
    BOOST_TEST(!q.full());
    q.put_nowait(2);
    BOOST_TEST(q.full());
    BOOST_CHECK_THROW(q.put_nowait(3), queues::QueueFull);
    BOOST_TEST(q.qsize() == 2U);
}

BOOST_AUTO_TEST_CASE(an_unbounded_queue_is_never_full) {
    queues::Queue<int> q;
    for (int i = 0; i < 1000; ++i)
        q.put_nowait(i);
    BOOST_TEST(!q.full());
}

BOOST_AUTO_TEST_CASE(get_waits_for_a_put) {
    const std::string got = run([]() -> awaitable<std::string> {
        queues::Queue<std::string> q;
        IOLoop::current().call_later(2ms, [&] { q.put_nowait("item"); });
        co_return co_await q.get();
    });
    BOOST_TEST(got == "item");
}

BOOST_AUTO_TEST_CASE(put_waits_for_room_in_a_bounded_queue) {
    std::vector<std::string> steps;
    run([&]() -> awaitable<void> {
        queues::Queue<int> q(1);
        spawn([&]() -> awaitable<void> {
            for (int i = 0; i < 3; ++i) {
                co_await q.put(i);
                steps.push_back("put " + std::to_string(i));
            }
        });
        co_await settle();
        BOOST_TEST(q.full());
        for (int i = 0; i < 3; ++i) {
            const int item = co_await q.get();
            steps.push_back("got " + std::to_string(item));
            co_await settle();
        }
    });
    BOOST_TEST(
        steps == (std::vector<std::string>{"put 0", "got 0", "put 1", "got 1", "put 2", "got 2"}),
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(waiting_getters_are_served_in_fifo_order) {
    std::vector<std::string> got;
    run([&]() -> awaitable<void> {
        queues::Queue<int> q;
        for (const char* name : {"a", "b", "c"}) {
            spawn([&, name]() -> awaitable<void> {
                const int item = co_await q.get();
                got.push_back(std::string(name) + std::to_string(item));
            });
        }
        co_await settle();
        q.put_nowait(1);
        q.put_nowait(2);
        q.put_nowait(3);
        co_await settle();
    });
    BOOST_TEST(got == (std::vector<std::string>{"a1", "b2", "c3"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(waiting_putters_are_served_in_fifo_order) {
    run([]() -> awaitable<void> {
        queues::Queue<int> q(1);
        q.put_nowait(0);
        for (int i = 1; i <= 3; ++i) {
            spawn([&, i]() -> awaitable<void> { co_await q.put(i); });
        }
        co_await settle();
        std::vector<int> got;
        for (int i = 0; i <= 3; ++i)
            got.push_back(co_await q.get());
        BOOST_TEST(got == (std::vector<int>{0, 1, 2, 3}), boost::test_tools::per_element());
    });
}

BOOST_AUTO_TEST_CASE(get_times_out_and_leaves_nothing_behind) {
    run([]() -> awaitable<void> {
        queues::Queue<int> q;
        const auto before = IOLoop::current().time();
        try {
            co_await q.get(1ms);
            BOOST_FAIL("get returned");
        } catch (const gen::TimeoutError& e) {
            BOOST_TEST(std::string(e.what()).empty());  // Tornado's Queue.get raises it bare
        }
        BOOST_TEST((IOLoop::current().time() - before == 1ms));
        q.put_nowait(5);  // stays queued: nobody is waiting any more
        BOOST_TEST(q.qsize() == 1U);
        BOOST_TEST(q.get_nowait() == 5);
    });
}

BOOST_AUTO_TEST_CASE(a_cancelled_get_leaves_nothing_behind) {
    run([]() -> awaitable<void> {
        queues::Queue<int> q;
        BOOST_CHECK_THROW(co_await gen::with_timeout(1ms, q.get()), gen::TimeoutError);
        q.put_nowait(5);
        BOOST_TEST(q.qsize() == 1U);
    });
}

BOOST_AUTO_TEST_CASE(put_times_out_without_queueing_its_item) {
    run([]() -> awaitable<void> {
        queues::Queue<int> q(1);
        q.put_nowait(1);
        BOOST_CHECK_THROW(co_await q.put(2, 1ms), gen::TimeoutError);
        BOOST_TEST(q.get_nowait() == 1);
        BOOST_TEST(q.empty());  // the abandoned 2 did not take the freed place
    });
}

BOOST_AUTO_TEST_CASE(join_returns_at_once_when_nothing_was_put) {
    run([]() -> awaitable<void> {
        queues::Queue<int> q;
        co_await q.join(0ms);
    });
}

BOOST_AUTO_TEST_CASE(join_waits_until_every_item_is_task_done) {
    std::vector<std::string> steps;
    run([&]() -> awaitable<void> {
        queues::Queue<int> q;
        q.put_nowait(1);
        q.put_nowait(2);
        spawn([&]() -> awaitable<void> {
            for (int i = 0; i < 2; ++i) {
                const int item = co_await q.get();
                co_await gen::moment();
                steps.push_back("done " + std::to_string(item));
                q.task_done();
            }
        });
        co_await q.join();
        steps.push_back("joined");
    });
    BOOST_TEST(steps == (std::vector<std::string>{"done 1", "done 2", "joined"}),
               boost::test_tools::per_element());
}

// Messages as Debian's python3-tornado 6.2 gives them: join() says "Timeout", a put() that times
// out says nothing.
BOOST_AUTO_TEST_CASE(join_times_out_with_unfinished_tasks) {
    run([]() -> awaitable<void> {
        queues::Queue<int> q;
        q.put_nowait(1);
        (void)q.get_nowait();
        std::string message = "none";
        try {
            co_await q.join(1ms);
        } catch (const gen::TimeoutError& e) {
            message = e.what();
        }
        BOOST_TEST(message == "Timeout");
    });
}

BOOST_AUTO_TEST_CASE(a_put_timeout_has_no_message) {
    run([]() -> awaitable<void> {
        queues::Queue<int> q(1);
        q.put_nowait(1);
        std::string message = "none";
        try {
            co_await q.put(2, 1ms);
        } catch (const gen::TimeoutError& e) {
            message = e.what();
        }
        BOOST_TEST(message.empty());
    });
}

BOOST_AUTO_TEST_CASE(task_done_too_many_times_is_an_error) {
    queues::Queue<int> q;
    q.put_nowait(1);
    (void)q.get_nowait();
    q.task_done();
    try {
        q.task_done();
        BOOST_FAIL("task_done succeeded");
    } catch (const typhoon::Error& e) {
        BOOST_TEST(std::string(e.what()) == "task_done() called too many times");
    }
}

BOOST_AUTO_TEST_CASE(items_may_be_move_only) {
    run([]() -> awaitable<void> {
        queues::Queue<std::unique_ptr<int>> q(1);
        q.put_nowait(std::make_unique<int>(1));
        spawn([&]() -> awaitable<void> { co_await q.put(std::make_unique<int>(2)); });
        co_await settle();
        BOOST_TEST(*co_await q.get() == 1);
        BOOST_TEST(*co_await q.get() == 2);
    });
}

// Tornado's docs: PriorityQueue with (1, 'medium'), (0, 'high'), (10, 'low') gives high, medium,
// low.
BOOST_AUTO_TEST_CASE(priority_queue_returns_the_smallest_first) {
    queues::PriorityQueue<std::pair<int, std::string>> q;
    q.put_nowait({1, "medium-priority item"});
    q.put_nowait({0, "high-priority item"});
    q.put_nowait({10, "low-priority item"});
    BOOST_TEST(q.get_nowait().second == "high-priority item");
    BOOST_TEST(q.get_nowait().second == "medium-priority item");
    BOOST_TEST(q.get_nowait().second == "low-priority item");
}

BOOST_AUTO_TEST_CASE(priority_queue_hands_a_waiting_getter_the_item) {
    const int got = run([]() -> awaitable<int> {
        queues::PriorityQueue<int, std::greater<int>> q;  // largest first
        IOLoop::current().add_callback([&] { q.put_nowait(7); });
        const int first = co_await q.get();
        q.put_nowait(1);
        q.put_nowait(9);
        co_return first * 100 + q.get_nowait();
    });
    BOOST_TEST(got == 709);
}

// Tornado's docs: LifoQueue with 3, 2, 1 put gives 1, 2, 3.
BOOST_AUTO_TEST_CASE(lifo_queue_returns_the_last_put_first) {
    queues::LifoQueue<int> q;
    q.put_nowait(3);
    q.put_nowait(2);
    q.put_nowait(1);
    BOOST_TEST(q.get_nowait() == 1);
    BOOST_TEST(q.get_nowait() == 2);
    BOOST_TEST(q.get_nowait() == 3);
}

BOOST_AUTO_TEST_CASE(a_full_lifo_queue_takes_a_waiting_putters_item_last_in) {
    run([]() -> awaitable<void> {
        queues::LifoQueue<int> q(2);
        q.put_nowait(1);
        q.put_nowait(2);
        spawn([&]() -> awaitable<void> { co_await q.put(3); });
        co_await settle();
        // get_nowait first moves the waiting 3 in, then pops the top: Tornado returns 3 too.
        BOOST_TEST(q.get_nowait() == 3);
        BOOST_TEST(q.get_nowait() == 2);
    });
}

BOOST_AUTO_TEST_SUITE_END()
