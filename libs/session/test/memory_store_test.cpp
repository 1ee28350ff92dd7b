#include <typhoon/session/memory_store.hpp>

#include "session_app.hpp"

#include <typhoon/ioloop/gen.hpp>

#include <boost/test/unit_test.hpp>

namespace {

namespace session = typhoon::session;
using namespace std::chrono_literals;

struct MemoryStoreTest : session_test::SessionAppTest {
    session::MemoryStore memory{};
    session::SessionStore& store() override { return memory; }
};

struct MemoryStoreUnit : typhoon::testing::AsyncTestCase {
    const std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

}  // namespace

BOOST_AUTO_TEST_SUITE(memory_store_test)

BOOST_FIXTURE_TEST_SUITE(through_an_application, MemoryStoreTest)
#include "session_cases.ipp"

BOOST_AUTO_TEST_CASE(an_untouched_session_stores_nothing) {
    session_test::Browser browser;
    browse(browser, "/get");
    browse(browser, "/erase?key=x");
    browse(browser, "/regenerate");
    BOOST_TEST(memory.size() == 0u);
    browse(browser, "/set?key=a&value=b");
    BOOST_TEST(memory.size() == 1u);
    browse(browser, "/regenerate");  // the old entry goes
    BOOST_TEST(memory.size() == 1u);
    browse(browser, "/destroy");
    BOOST_TEST(memory.size() == 0u);
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(on_its_own, MemoryStoreUnit)

TYPHOON_GEN_TEST(load_returns_what_save_saved_until_it_expires) {
    session::MemoryStore store;
    co_await store.save("a", "record a", now + 1h);
    co_await store.save("b", "record b", now - 1s);
    BOOST_TEST((co_await store.load("a")).value_or("") == "record a");
    BOOST_TEST(!(co_await store.load("b")).has_value());
    BOOST_TEST(store.size() == 1u);  // the expired one was deleted by its load
    BOOST_TEST(!(co_await store.load("c")).has_value());
}

TYPHOON_GEN_TEST(touch_moves_the_expiry_and_leaves_the_record) {
    session::MemoryStore store;
    co_await store.save("a", "record a", now + 1h);
    co_await store.touch("a", now - 1s);
    BOOST_TEST(!(co_await store.load("a")).has_value());
    co_await store.touch("missing", now + 1h);  // nothing to touch: nothing made
    BOOST_TEST(store.size() == 0u);
}

TYPHOON_GEN_TEST(a_sweep_drops_every_expired_record) {
    session::MemoryStore store({.sweep_interval = 0s});
    for (int i = 0; i < 5; ++i)
        co_await store.save("old" + std::to_string(i), "x", now - 1s);
    co_await store.save("fresh", "x", now + 1h);
    BOOST_TEST(store.size() <= 2u);  // each save swept the ones before it
    co_await store.load("fresh");
    BOOST_TEST(store.size() == 1u);
}

TYPHOON_GEN_TEST(erase_deletes) {
    session::MemoryStore store;
    co_await store.save("a", "x", now + 1h);
    co_await store.erase("a");
    co_await store.erase("a");
    BOOST_TEST(store.size() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
