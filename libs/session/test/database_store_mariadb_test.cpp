#include <typhoon/session/database_store.hpp>

#include "mariadb_server.hpp"
#include "session_app.hpp"

#include <typhoon/database/connection.hpp>
#include <typhoon/ioloop/gen.hpp>

#include <boost/test/unit_test.hpp>

#include <iostream>

namespace {

namespace session = typhoon::session;
namespace database = typhoon::database;

/// The suite runs only when libs/database's private MariaDB server is up; otherwise every case
/// is reported skipped with the reason, and CTest shows the test skipped, never passed.
boost::test_tools::assertion_result mariadb_is_running(boost::unit_test::test_unit_id) {
    auto& server = database_test::MariaDBServer::instance();
    if (server.running()) return true;
    std::cerr << "\n*** MARIADB TESTS SKIPPED: the test server could not start ***\n"
              << server.why_not() << "\n";
    boost::test_tools::assertion_result result(false);
    result.message() << "MARIADB TESTS SKIPPED: " << server.why_not();
    return result;
}

struct MariaDBStoreTest : session_test::SessionAppTest {
    database::Connection db{database_test::MariaDBServer::instance().create_database() +
                            "?charset=utf8mb4"};
    session::DatabaseStore sessions{db};
    session::SessionStore& store() override { return sessions; }
    void teardown() {
        db.close();  // before the check for work left on the loop
        SessionAppTest::teardown();
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(database_store_mariadb_test,
                      *boost::unit_test::precondition(mariadb_is_running))
BOOST_FIXTURE_TEST_SUITE(mariadb, MariaDBStoreTest)
#include "session_cases.ipp"

TYPHOON_GEN_TEST(saving_the_same_record_twice_keeps_one_row) {
    // MariaDB reports 0 rows changed for an UPDATE that changes nothing: the save must still
    // not fail, nor add a row.
    const auto expires = std::chrono::system_clock::now() + std::chrono::hours(1);
    co_await sessions.save("a", "{}", expires);
    co_await sessions.save("a", "{}", expires);
    BOOST_TEST((co_await db.query("SELECT id FROM typhoon_sessions")).size() == 1u);
    BOOST_TEST((co_await sessions.load("a")).value_or("") == "{}");
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
