#include <typhoon/ioloop/condition.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/ioloop/lock.hpp>
#include <typhoon/ioloop/semaphore.hpp>

#include "coroutine_helpers.hpp"

#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace std::chrono_literals;
using typhoon::ioloop::awaitable;
using typhoon::ioloop::IOLoop;
namespace gen = typhoon::gen;
namespace locks = typhoon::locks;

using ioloop_test_helpers::run;
using ioloop_test_helpers::settle;
using ioloop_test_helpers::spawn;

BOOST_AUTO_TEST_SUITE(locks_test)

// Event

BOOST_AUTO_TEST_CASE(event_wait_returns_at_once_when_set) {
    run([]() -> awaitable<void> {
        locks::Event event;
        BOOST_TEST(!event.is_set());
        event.set();
        BOOST_TEST(event.is_set());
        co_await event.wait(0ms);  // no time to wait at all, and no need to
    });
}

BOOST_AUTO_TEST_CASE(event_set_wakes_every_waiter_in_order) {
    std::vector<int> woken;
    run([&]() -> awaitable<void> {
        locks::Event event;
        for (int i = 0; i < 3; ++i) {
            spawn([&, i]() -> awaitable<void> {
                co_await event.wait();
                woken.push_back(i);
            });
        }
        co_await settle();
        BOOST_TEST(woken.empty());
        event.set();
        co_await settle();
    });
    BOOST_TEST(woken == (std::vector<int>{0, 1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(event_clear_makes_wait_block_again) {
    run([]() -> awaitable<void> {
        locks::Event event;
        event.set();
        event.clear();
        BOOST_TEST(!event.is_set());
        BOOST_CHECK_THROW(co_await event.wait(10ms), gen::TimeoutError);
    });
}

BOOST_AUTO_TEST_CASE(event_wait_times_out_with_timeout_error) {
    run([]() -> awaitable<void> {
        locks::Event event;
        const auto deadline = IOLoop::current().time() + 5ms;
        try {
            co_await event.wait(deadline);
            BOOST_FAIL("wait returned");
        } catch (const gen::TimeoutError& e) {
            BOOST_TEST(std::string(e.what()) == "Timeout");
        }
        BOOST_TEST((IOLoop::current().time() == deadline));
    });
}

// Condition

BOOST_AUTO_TEST_CASE(condition_wait_returns_true_when_notified) {
    run([]() -> awaitable<void> {
        locks::Condition condition;
        IOLoop::current().add_callback([&] { condition.notify(); });
        BOOST_TEST(co_await condition.wait());
    });
}

BOOST_AUTO_TEST_CASE(condition_wait_returns_false_on_timeout) {
    run([]() -> awaitable<void> {
        locks::Condition condition;
        const auto before = IOLoop::current().time();
        BOOST_TEST(!co_await condition.wait(5ms));
        BOOST_TEST((IOLoop::current().time() - before == 5ms));  // not a moment sooner or later
    });
}

BOOST_AUTO_TEST_CASE(condition_notify_wakes_the_oldest_waiters_first) {
    // Tornado's ConditionTest.test_notify_n: notify(2) wakes waiters 0 and 1, then 2 and 3 remain.
    std::vector<int> woken;
    run([&]() -> awaitable<void> {
        locks::Condition condition;
        for (int i = 0; i < 5; ++i) {
            spawn([&, i]() -> awaitable<void> {
                co_await condition.wait();
                woken.push_back(i);
            });
        }
        co_await settle();
        condition.notify(2);
        co_await settle();
        BOOST_TEST(woken == (std::vector<int>{0, 1}), boost::test_tools::per_element());
        condition.notify();
        co_await settle();
        BOOST_TEST(woken == (std::vector<int>{0, 1, 2}), boost::test_tools::per_element());
        condition.notify_all();
        co_await settle();
    });
    BOOST_TEST(woken == (std::vector<int>{0, 1, 2, 3, 4}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(condition_notify_without_waiters_is_not_remembered) {
    run([]() -> awaitable<void> {
        locks::Condition condition;
        condition.notify();
        BOOST_TEST(!co_await condition.wait(5ms));
    });
}

BOOST_AUTO_TEST_CASE(a_timed_out_condition_waiter_leaves_nothing_behind) {
    std::vector<std::string> woken;
    run([&]() -> awaitable<void> {
        locks::Condition condition;
        BOOST_TEST(!co_await condition.wait(1ms));
        spawn([&]() -> awaitable<void> {
            const bool notified = co_await condition.wait();
            if (notified) woken.push_back("second");
        });
        co_await settle();
        condition.notify(1);  // must reach the live waiter, not the one that timed out
        co_await settle();
    });
    BOOST_TEST(woken == (std::vector<std::string>{"second"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_cancelled_condition_waiter_leaves_nothing_behind) {
    std::vector<std::string> woken;
    run([&]() -> awaitable<void> {
        locks::Condition condition;
        BOOST_CHECK_THROW(co_await gen::with_timeout(1ms, condition.wait()), gen::TimeoutError);
        spawn([&]() -> awaitable<void> {
            const bool notified = co_await condition.wait();
            if (notified) woken.push_back("second");
        });
        co_await settle();
        condition.notify(1);
        co_await settle();
    });
    BOOST_TEST(woken == (std::vector<std::string>{"second"}), boost::test_tools::per_element());
}

// Semaphore

BOOST_AUTO_TEST_CASE(semaphore_counts_down_and_waits_at_zero) {
    std::vector<std::string> steps;
    run([&]() -> awaitable<void> {
        locks::Semaphore semaphore(2);
        co_await semaphore.acquire();
        co_await semaphore.acquire();
        BOOST_TEST(semaphore.value() == 0);
        spawn([&]() -> awaitable<void> {
            co_await semaphore.acquire();
            steps.push_back("third acquired");
        });
        co_await settle();
        BOOST_TEST(steps.empty());
        semaphore.release();
        co_await settle();
        BOOST_TEST(semaphore.value() == 0);  // the unit went to the waiter
    });
    BOOST_TEST(steps == (std::vector<std::string>{"third acquired"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(semaphore_waiters_acquire_in_fifo_order_and_newcomers_do_not_overtake) {
    std::vector<int> order;
    run([&]() -> awaitable<void> {
        locks::Semaphore semaphore(0);
        for (int i = 0; i < 3; ++i) {
            spawn([&, i]() -> awaitable<void> {
                co_await semaphore.acquire();
                order.push_back(i);
            });
        }
        co_await settle();
        semaphore.release();
        // A newcomer that arrives before the woken waiter resumes must queue behind the rest.
        spawn([&]() -> awaitable<void> {
            co_await semaphore.acquire();
            order.push_back(3);
        });
        co_await settle();
        semaphore.release();
        semaphore.release();
        semaphore.release();
        co_await settle();
    });
    BOOST_TEST(order == (std::vector<int>{0, 1, 2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(semaphore_scoped_acquire_releases_at_the_end_of_the_scope) {
    run([]() -> awaitable<void> {
        locks::Semaphore semaphore(1);
        {
            auto held = co_await semaphore.scoped_acquire();
            BOOST_TEST(semaphore.value() == 0);
        }
        BOOST_TEST(semaphore.value() == 1);
    });
}

BOOST_AUTO_TEST_CASE(semaphore_acquire_times_out_and_leaves_nothing_behind) {
    run([]() -> awaitable<void> {
        locks::Semaphore semaphore(0);
        std::string message = "none";
        try {
            co_await semaphore.acquire(1ms);
        } catch (const gen::TimeoutError& e) {
            message = e.what();
        }
        BOOST_TEST(message.empty());  // Tornado's Semaphore raises it without a message
        semaphore.release();
        BOOST_TEST(semaphore.value() == 1);  // not handed to the waiter that gave up
    });
}

BOOST_AUTO_TEST_CASE(semaphore_rejects_a_negative_initial_value) {
    BOOST_CHECK_THROW(locks::Semaphore(-1), typhoon::Error);
}

BOOST_AUTO_TEST_CASE(an_unbounded_semaphore_may_be_released_beyond_its_start) {
    locks::Semaphore semaphore(1);
    semaphore.release();
    BOOST_TEST(semaphore.value() == 2);
}

BOOST_AUTO_TEST_CASE(bounded_semaphore_refuses_a_release_too_many) {
    run([]() -> awaitable<void> {
        locks::BoundedSemaphore semaphore(1);
        co_await semaphore.acquire();
        semaphore.release();
        try {
            semaphore.release();
            BOOST_FAIL("release succeeded");
        } catch (const typhoon::Error& e) {
            BOOST_TEST(std::string(e.what()) == "Semaphore released too many times");
        }
        BOOST_TEST(semaphore.value() == 1);
    });
}

// Lock

BOOST_AUTO_TEST_CASE(lock_is_held_by_one_coroutine_at_a_time_in_fifo_order) {
    std::vector<std::string> log;
    run([&]() -> awaitable<void> {
        locks::Lock lock;
        for (int i = 0; i < 3; ++i) {
            spawn([&, i]() -> awaitable<void> {
                auto held = co_await lock.scoped_acquire();
                log.push_back("enter " + std::to_string(i));
                co_await gen::sleep(1ms);
                log.push_back("leave " + std::to_string(i));
            });
        }
        co_await gen::sleep(1ms);
        co_await lock.acquire();  // queued behind the three
        BOOST_TEST(lock.locked());
        lock.release();
        BOOST_TEST(!lock.locked());
    });
    BOOST_TEST(log == (std::vector<std::string>{"enter 0", "leave 0", "enter 1", "leave 1",
                                                "enter 2", "leave 2"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(lock_acquire_times_out_and_leaves_nothing_behind) {
    run([]() -> awaitable<void> {
        locks::Lock lock;
        co_await lock.acquire();
        BOOST_CHECK_THROW(co_await lock.acquire(1ms), gen::TimeoutError);
        lock.release();
        BOOST_TEST(!lock.locked());  // not handed to the waiter that gave up
    });
}

BOOST_AUTO_TEST_CASE(releasing_an_unlocked_lock_is_an_error) {
    locks::Lock lock;
    try {
        lock.release();
        BOOST_FAIL("release succeeded");
    } catch (const typhoon::Error& e) {
        BOOST_TEST(std::string(e.what()) == "release unlocked");
    }
}

BOOST_AUTO_TEST_SUITE_END()
