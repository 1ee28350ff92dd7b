#include <typhoon/database/connection.hpp>

#include "database_fixture.hpp"

#include <typhoon/database/errors.hpp>
#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

#include <unistd.h>

namespace database = typhoon::database;

BOOST_FIXTURE_TEST_SUITE(url_test, typhoon::testing::AsyncTestCase)

BOOST_AUTO_TEST_CASE(malformed_urls_are_interface_errors_that_say_what_is_wrong) {
    auto message = [](const std::string& url) -> std::string {
        try {
            database::Connection db(url);
        } catch (const database::InterfaceError& e) {
            return e.what();
        }
        return "accepted";
    };
    BOOST_TEST(message("notes.db").find("has no scheme") != std::string::npos);
    BOOST_TEST(message("oracle://localhost/x").find("unknown database scheme 'oracle'") !=
               std::string::npos);
    // libpq judges what it reads of a PostgreSQL URL; the pool's options are Typhoon's.
    BOOST_TEST(message("postgresql://h/db?colour=red").find("colour") != std::string::npos);
    BOOST_TEST(message("postgres://h/db?max_connections=0").find("at least 1") !=
               std::string::npos);
    BOOST_TEST(message("postgresql://u:p%40ss@h:5433,h2/db?sslmode=require&max_connections=4") ==
               "accepted");
    BOOST_TEST(message("postgresql://%2Frun%2Fpostgresql/db") == "accepted");
    BOOST_TEST(message("sqlite://relative.db").find("sqlite:///relative.db") != std::string::npos);
    BOOST_TEST(message("mysql://h/db?colour=red").find("unknown option 'colour'") !=
               std::string::npos);
    BOOST_TEST(message("mysql://h:99999/db").find("port out of range") != std::string::npos);
    BOOST_TEST(message("mysql://h:abc/db").find("not a number") != std::string::npos);
    BOOST_TEST(message("mysql://u%zz@h/db").find("bad percent-escape") != std::string::npos);
    BOOST_TEST(message("sqlite://:memory:?max_connections=0").find("at least 1") !=
               std::string::npos);
    BOOST_TEST(message("sqlite://:memory:") == "accepted");
    BOOST_TEST(message("mysql://u:p%40ss@[::1]:3307/db?charset=utf8mb4&time_zone=%2B0:00") ==
               "accepted");
}

BOOST_AUTO_TEST_CASE(three_slashes_name_a_file_relative_to_the_working_directory) {
    database_test::TemporaryDirectory directory;
    const auto previous = std::filesystem::current_path();
    std::filesystem::current_path(directory.path);
    {
        database::Connection db("sqlite:///relative.db");
        run_until([&]() -> boost::asio::awaitable<void> {
            co_await db.execute("CREATE TABLE t (x INTEGER)");
        });
    }
    std::filesystem::current_path(previous);
    BOOST_TEST(std::filesystem::exists(directory.path / "relative.db"));
}

BOOST_AUTO_TEST_CASE(connections_open_lazily) {
    database_test::TemporaryDirectory directory;
    database::Connection db("sqlite:///" + (directory.path / "lazy.db").string());
    BOOST_TEST(db.pool_status().open == 0);
    BOOST_TEST(!std::filesystem::exists(directory.path / "lazy.db"));
}

BOOST_AUTO_TEST_SUITE_END()
