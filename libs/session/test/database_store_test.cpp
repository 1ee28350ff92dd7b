#include <typhoon/session/database_store.hpp>

#include "database_fixture.hpp"
#include "database_store_fixture.hpp"

#include <typhoon/database/connection.hpp>
#include <typhoon/ioloop/gen.hpp>

#include <boost/test/unit_test.hpp>

namespace {

namespace session = typhoon::session;
namespace database = typhoon::database;
using namespace std::chrono_literals;

/// SQLite in a temporary directory: always available, so always run.
/// A base listed first: the folder exists before the connection opens its file there, and
/// goes after it.
struct SQLiteFolder {
    database_test::TemporaryDirectory directory;
};
struct SQLiteStoreTest : SQLiteFolder, session_test::DatabaseStoreTest {
    SQLiteStoreTest()
        : DatabaseStoreTest("sqlite:///" + (directory.path / "sessions.db").string()) {}
};

}  // namespace

BOOST_AUTO_TEST_SUITE(database_store_test)

BOOST_FIXTURE_TEST_SUITE(sqlite, SQLiteStoreTest)
#include "database_store_cases.ipp"
#include "session_cases.ipp"

TYPHOON_GEN_TEST(the_table_holds_one_row_per_saved_session_and_expired_rows_are_purged) {
    const auto now = std::chrono::system_clock::now();
    co_await sessions.save("fresh", "{}", now + 1h);
    co_await sessions.save("fresh", "{\"again\":1}", now + 1h);  // the same row, updated
    co_await sessions.save("stale", "{}", now - 1s);
    auto rows = co_await db.query("SELECT id, data FROM typhoon_sessions ORDER BY id");
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    BOOST_TEST(rows[0]["data"].as_string() == "{\"again\":1}");
    BOOST_TEST(co_await sessions.purge() == 1);
    rows = co_await db.query("SELECT id FROM typhoon_sessions");
    BOOST_TEST_REQUIRE(rows.size() == 1u);
    BOOST_TEST(rows[0]["id"].as_string() == "fresh");
}

TYPHOON_GEN_TEST(loading_an_expired_row_deletes_it) {
    const auto now = std::chrono::system_clock::now();
    co_await sessions.save("a", "{}", now + 1h);
    co_await sessions.touch("a", now - 1s);
    BOOST_TEST(!(co_await sessions.load("a")).has_value());
    BOOST_TEST((co_await db.query("SELECT id FROM typhoon_sessions")).empty());
}

TYPHOON_GEN_TEST(a_broken_table_is_a_session_store_error) {
    co_await sessions.save("a", "{}", std::chrono::system_clock::now() + 1h);
    co_await db.execute("DROP TABLE typhoon_sessions");
    try {
        co_await sessions.load("a");
        BOOST_FAIL("load() of a dropped table did not throw");
    } catch (const session::SessionStoreError& error) {
        BOOST_TEST(error.status_code() == 503);
        BOOST_TEST(error.log_message().starts_with("session store: database: "),
                   error.log_message());
    }
}

BOOST_AUTO_TEST_CASE(a_table_name_is_never_sql) {
    BOOST_CHECK_THROW(session::DatabaseStore(db, {.table = "s; DROP TABLE users"}),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
