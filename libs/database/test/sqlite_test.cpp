#include <typhoon/database/connection.hpp>

#include "database_fixture.hpp"

#include <typhoon/database/errors.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace database = typhoon::database;
namespace gen = typhoon::gen;
using boost::asio::awaitable;
using namespace std::chrono_literals;

namespace {
struct SQLiteDatabase : typhoon::testing::AsyncTestCase {
    database_test::TemporaryDirectory directory;
    // Four slashes: an absolute path (three would make it relative to the working directory).
    std::string url() const { return "sqlite:///" + (directory.path / "test.db").string(); }
    database::Connection open(database::ConnectionOptions options = {}) {
        return database::Connection(url(), std::move(options));
    }
    static std::string slow_sql() {
        return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) "
               "SELECT COUNT(*) FROM c";
    }
    static std::string long_sql() {
        return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < "
               "1000000000) "
               "SELECT COUNT(*) FROM c";
    }
    static std::string serial() { return "INTEGER PRIMARY KEY"; }
    static bool text_holds_nul() { return true; }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(sqlite_test, SQLiteDatabase)

#include "backend_cases.ipp"

TYPHOON_GEN_TEST(a_file_database_is_in_wal_mode) {
    auto db = open();
    auto mode = co_await db.get("PRAGMA journal_mode");
    BOOST_TEST((*mode)["journal_mode"].as_string() == "wal");
    BOOST_TEST(std::filesystem::exists(directory.path / "test.db"));
}

TYPHOON_GEN_TEST(an_in_memory_database_is_one_connection_shared_by_every_query) {
    database::Connection db("sqlite://:memory:", {.max_connections = 8});
    co_await db.execute("CREATE TABLE t (x INTEGER)");
    std::vector<awaitable<void>> inserts;
    for (int i = 0; i < 20; ++i)
        inserts.push_back([](database::Connection& db, int i) -> awaitable<void> {
            co_await db.execute("INSERT INTO t VALUES (?)", i);
        }(db, i));
    co_await gen::multi(std::move(inserts));
    BOOST_TEST((*co_await db.get("SELECT COUNT(*) AS n FROM t"))["n"].as_int64() == 20);
    BOOST_TEST(db.pool_status().open == 1);
}

TYPHOON_GEN_TEST(a_file_that_cannot_be_opened_is_an_operational_error) {
    database::Connection db("sqlite:///" + (directory.path / "no" / "such" / "dir.db").string());
    try {
        co_await db.query("SELECT 1");
        BOOST_FAIL("no error");
    } catch (const database::OperationalError& e) {
        BOOST_TEST(std::string(e.what()).find("cannot open SQLite database") != std::string::npos);
    }
    BOOST_TEST(db.pool_status().open == 0);
}

TYPHOON_GEN_TEST(two_connections_see_each_others_commits) {
    auto writer = open();
    auto reader = open();
    co_await writer.execute("CREATE TABLE t (x INTEGER)");
    co_await writer.execute("INSERT INTO t VALUES (?)", 7);
    BOOST_TEST((*co_await reader.get("SELECT x FROM t"))["x"].as_int64() == 7);
}

TYPHOON_GEN_TEST(several_statements_in_one_call_are_refused) {
    auto db = open();
    co_await db.execute("CREATE TABLE t (x INTEGER)");
    BOOST_CHECK_THROW(co_await db.execute("INSERT INTO t VALUES (1); DROP TABLE t"),
                      database::ProgrammingError);
    BOOST_TEST((co_await db.query("SELECT * FROM t")).empty());
}

TYPHOON_GEN_TEST(executemany_outside_a_transaction_is_all_or_nothing) {
    auto db = open();
    co_await db.execute("CREATE TABLE t (x INTEGER UNIQUE)");
    BOOST_CHECK_THROW(co_await db.executemany("INSERT INTO t VALUES (?)", {{1}, {2}, {1}}),
                      database::IntegrityError);
    BOOST_TEST((co_await db.query("SELECT * FROM t")).empty());
    co_await db.executemany("INSERT INTO t VALUES (?)", {{1}, {2}});
    BOOST_TEST((co_await db.query("SELECT * FROM t")).size() == 2u);
}

TYPHOON_GEN_TEST(listen_and_notify_are_postgresqls_and_interface_errors_here) {
    auto db = open();
    BOOST_CHECK_THROW(co_await db.listen("x"), database::InterfaceError);
    BOOST_CHECK_THROW(co_await db.notify("x", "y"), database::InterfaceError);
}

BOOST_AUTO_TEST_SUITE_END()
