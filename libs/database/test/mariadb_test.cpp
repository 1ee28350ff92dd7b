#include <typhoon/database/connection.hpp>

#include "mariadb_server.hpp"

#include <typhoon/database/errors.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace database = typhoon::database;
namespace gen = typhoon::gen;
using boost::asio::awaitable;
using database_test::mariadb_is_running;
using database_test::MariaDBServer;
using namespace std::chrono_literals;

namespace {
struct MariaDBDatabase : typhoon::testing::AsyncTestCase {
    MariaDBServer& server = MariaDBServer::instance();
    std::string url = server.create_database();
    database::Connection open(database::ConnectionOptions options = {}) {
        return database::Connection(url + "?charset=utf8mb4", std::move(options));
    }
    static std::string slow_sql() { return "SELECT SLEEP(1)"; }
    static std::string long_sql() { return "SELECT SLEEP(5)"; }
    static std::string serial() { return "INTEGER PRIMARY KEY AUTO_INCREMENT"; }
    static bool text_holds_nul() { return true; }
};

awaitable<void> expect_lost(database::Connection& db, std::string& error) {
    try {
        co_await db.query("SELECT SLEEP(30)");
        error = "the query finished";
    } catch (const database::OperationalError& e) {
        error = e.what();
    }
}

/// Kills the server once the slow query is running on it (polling the server's process list:
/// there is no event to wait for in another process).
awaitable<void> kill_during_query(database::Connection& db, MariaDBServer& server) {
    for (int i = 0; i < 100; ++i) {
        auto row = co_await db.get(
            "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST "
            "WHERE INFO LIKE 'SELECT SLEEP(30)%'");
        if ((*row)["n"].as_int64() > 0) break;
        co_await gen::sleep(20ms);
    }
    server.kill();
}
}  // namespace

BOOST_FIXTURE_TEST_SUITE(mariadb_test, MariaDBDatabase,
                         *boost::unit_test::precondition(mariadb_is_running))

#include "backend_cases.ipp"

TYPHOON_GEN_TEST_TIMEOUT(a_server_killed_mid_query_is_an_operational_error_and_comes_back, 90s) {
    auto db = open({.max_connections = 4});
    co_await db.execute("CREATE TABLE t (x INTEGER)");
    const std::string count = "SELECT COUNT(*) AS n FROM t WHERE x >= ?";
    BOOST_TEST((*co_await db.get(count, 0))["n"].as_int64() == 0);  // now prepared and kept
    std::string error;
    std::vector<awaitable<void>> both;
    both.push_back(expect_lost(db, error));
    both.push_back(kill_during_query(db, server));
    co_await gen::multi(std::move(both));
    BOOST_TEST_INFO("error: " << error);
    BOOST_TEST(error.find("Lost connection") != std::string::npos);
    BOOST_TEST(db.pool_status().open == 0);  // the lost server took the idle connections along
    // While the server is down, queries fail fast and clearly.
    try {
        co_await db.query("SELECT 1");
        BOOST_FAIL("a query succeeded with the server down");
    } catch (const database::OperationalError& e) {
        BOOST_TEST(std::string(e.what()).find("cannot connect to MySQL") != std::string::npos);
    }
    BOOST_TEST_REQUIRE(server.start(), server.why_not());
    co_await db.execute("INSERT INTO t VALUES (?)", 1);
    BOOST_TEST((co_await db.query("SELECT x FROM t")).size() == 1u);
    // The statements prepared before the crash died with it; the same SQL is prepared again.
    BOOST_TEST((*co_await db.get(count, 0))["n"].as_int64() == 1);
}

/// The server's count of statements prepared and executed on this session.
awaitable<std::pair<std::int64_t, std::int64_t>> statement_counters(database::Connection& db) {
    auto rows = co_await db.query(
        "SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute')");
    std::pair<std::int64_t, std::int64_t> counters{-1, -1};
    for (const auto& row : rows) {
        const auto value = std::stoll(std::string(row["Value"].as_string()));
        if (row["Variable_name"].as_string() == "Com_stmt_prepare") counters.first = value;
        if (row["Variable_name"].as_string() == "Com_stmt_execute") counters.second = value;
    }
    co_return counters;
}

TYPHOON_GEN_TEST(parameters_go_to_the_server_apart_from_a_statement_prepared_once) {
    auto db = open({.max_connections = 1});
    const auto before = co_await statement_counters(db);
    for (int i = 0; i < 10; ++i) {
        auto row = *co_await db.get("SELECT ? AS v", "'" + std::to_string(i));
        BOOST_TEST(row["v"].as_string() == "'" + std::to_string(i));
    }
    const auto after = co_await statement_counters(db);
    // One prepare for the ten SELECTs (the SHOW was prepared before `before` was read), and
    // eleven executions: the ten and the second SHOW.
    BOOST_TEST(after.first - before.first == 1);
    BOOST_TEST(after.second - before.second == 11);
}

TYPHOON_GEN_TEST(a_prepared_statement_follows_a_column_retyped_or_renamed) {
    auto db = open({.max_connections = 1});
    co_await db.execute("CREATE TABLE items (id INTEGER, title VARCHAR(20))");
    co_await db.execute("INSERT INTO items VALUES (?, ?)", 1, "one");
    const std::string select = "SELECT * FROM items";
    BOOST_TEST((*co_await db.get(select))["id"].as_int64() == 1);
    co_await db.execute("ALTER TABLE items MODIFY id VARCHAR(10)");
    BOOST_TEST((*co_await db.get(select))["id"].as_string() == "1");
    co_await db.execute("ALTER TABLE items RENAME COLUMN title TO name");
    auto row = *co_await db.get(select);
    BOOST_TEST((row.columns() == std::vector<std::string>{"id", "name"}));
    BOOST_TEST(row["name"].as_string() == "one");
    co_await db.execute("ALTER TABLE items DROP COLUMN name");
    BOOST_TEST((*co_await db.get(select)).size() == 1u);
}

TYPHOON_GEN_TEST(a_server_short_of_prepared_statements_gets_back_those_kept_for_later) {
    auto db = open({.max_connections = 1});
    // The limit counts every connection's statements; the other connections of this test
    // program are closed by now, and this one keeps a few.
    co_await db.execute("SET GLOBAL max_prepared_stmt_count = 8");
    std::string failure;
    try {
        for (int i = 0; i < 40; ++i) {
            auto row = *co_await db.get("SELECT ? + " + std::to_string(i) + " AS n", 1);
            if (row["n"].as_int64() != 1 + i) failure = "wrong row at " + std::to_string(i);
        }
    } catch (const std::exception& e) {
        failure = e.what();
    }
    co_await db.execute("SET GLOBAL max_prepared_stmt_count = DEFAULT");
    BOOST_TEST(failure.empty(), failure);
}

TYPHOON_GEN_TEST(a_statement_mariadb_cannot_prepare_runs_as_is_but_takes_no_parameters) {
    auto db = open({.max_connections = 1});
    co_await db.execute("PREPARE typhoon_s FROM 'SELECT 1 AS one'");
    auto rows = co_await db.query("EXECUTE typhoon_s");
    BOOST_TEST_REQUIRE(rows.size() == 1u);
    BOOST_TEST(rows[0]["one"].as_int64() == 1);
    auto stream = co_await db.iter("EXECUTE typhoon_s");
    BOOST_TEST((*co_await stream.next())["one"].as_int64() == 1);
    BOOST_TEST(!(co_await stream.next()).has_value());
    try {
        co_await db.execute("PREPARE typhoon_t FROM ?", "SELECT 2");
        BOOST_FAIL("an unpreparable statement took a parameter");
    } catch (const database::ProgrammingError& e) {
        BOOST_TEST(std::string(e.what()).find("cannot prepare") != std::string::npos);
    }
    BOOST_TEST((*co_await db.get("SELECT ? + 1 AS two", 1))["two"].as_int64() == 2);
}

TYPHOON_GEN_TEST(mysql_types_map_to_json_values) {
    auto db = open();
    co_await db.execute(
        "CREATE TABLE kinds (d DECIMAL(10,2), big BIGINT UNSIGNED, ts TIMESTAMP NULL, t TIME, "
        "bits BIT(8), tiny TINYINT, y YEAR, f FLOAT, vb VARBINARY(10))");
    co_await db.execute("INSERT INTO kinds VALUES (?, ?, ?, ?, b'00000101', ?, ?, ?, ?)", "12.50",
                        18446744073709551615ull, "2024-05-01 12:30:00", "12:30:00", -5, 2024, 1.5,
                        database::Bytes{std::string("\0\x01", 2)});
    auto row = *co_await db.get("SELECT * FROM kinds");
    BOOST_TEST(row["d"].as_string() == "12.50");  // exact digits, never a rounded double
    BOOST_TEST(row["big"].as_uint64() == 18446744073709551615ull);
    BOOST_TEST(row["ts"].as_string() == "2024-05-01T12:30:00");
    BOOST_TEST(row["t"].as_string() == "12:30:00");
    BOOST_TEST(row["bits"].as_int64() == 5);
    BOOST_TEST(row["tiny"].as_int64() == -5);
    BOOST_TEST(row["y"].as_int64() == 2024);
    BOOST_TEST(row["f"].as_double() == 1.5);
    BOOST_TEST(std::string(row["vb"].as_string()) == std::string("\0\x01", 2));
}

TYPHOON_GEN_TEST(strict_mode_makes_a_value_too_long_a_data_error) {
    auto db = open();
    co_await db.execute("CREATE TABLE t (code VARCHAR(3))");
    BOOST_CHECK_THROW(co_await db.execute("INSERT INTO t VALUES (?)", "abcd"), database::DataError);
    BOOST_TEST((co_await db.query("SELECT * FROM t")).empty());
}

TYPHOON_GEN_TEST(the_session_uses_utc_and_utf8mb4) {
    auto db = open();
    auto row = *co_await db.get(
        "SELECT @@session.time_zone AS tz, @@character_set_client AS cs, "
        "CHAR_LENGTH(?) AS chars",
        "\xf0\x9f\x8c\x80");
    BOOST_TEST(row["tz"].as_string() == "+00:00");
    BOOST_TEST(row["cs"].as_string() == "utf8mb4");
    BOOST_TEST(row["chars"].as_int64() == 1);  // one emoji is one character, not four bytes
}

TYPHOON_GEN_TEST(placeholders_inside_quotes_and_comments_are_not_parameters) {
    auto db = open();
    auto row = *co_await db.get("SELECT '?' AS a, \"it's ?\" AS b, ? AS c /* ? */ -- ?\n", 7);
    BOOST_TEST(row["a"].as_string() == "?");
    BOOST_TEST(row["b"].as_string() == "it's ?");
    BOOST_TEST(row["c"].as_int64() == 7);
}

TYPHOON_GEN_TEST_TIMEOUT(hundreds_of_queries_wait_on_one_thread_at_once, 30s) {
    auto db = open({.max_connections = 200});
    const auto started = std::chrono::steady_clock::now();
    std::vector<awaitable<std::vector<database::Row>>> sleeps;
    for (int i = 0; i < 200; ++i)
        sleeps.push_back(db.query("SELECT SLEEP(0.5) AS s"));
    auto results = co_await gen::multi(std::move(sleeps));
    const auto took = std::chrono::steady_clock::now() - started;
    BOOST_TEST(results.size() == 200u);
    // One after another they would take 100 s; in flight together, about half a second.
    BOOST_TEST(took < 10s);
}

TYPHOON_GEN_TEST(an_unreachable_server_is_an_operational_error_naming_it) {
    database::Connection db("mysql://root@127.0.0.1:1/nothing", {.connect_timeout = 2s});
    try {
        co_await db.query("SELECT 1");
        BOOST_FAIL("connected to port 1");
    } catch (const database::OperationalError& e) {
        BOOST_TEST(std::string(e.what()).find("127.0.0.1:1") != std::string::npos);
    }
    BOOST_TEST(db.pool_status().open == 0);
}

TYPHOON_GEN_TEST(torndb_arguments_name_the_server_without_a_url) {
    database::Connection db({.host = "127.0.0.1:" + std::to_string(server.port()),
                             .database = url.substr(url.rfind('/') + 1),
                             .user = "root"});
    auto row = *co_await db.get("SELECT DATABASE() AS db");
    BOOST_TEST(row["db"].as_string() == url.substr(url.rfind('/') + 1));
}

BOOST_AUTO_TEST_SUITE_END()
