#include <typhoon/session/database_store.hpp>

#include "database_store_fixture.hpp"
#include "mariadb_server.hpp"

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

struct MariaDBStoreTest : session_test::DatabaseStoreTest {
    MariaDBStoreTest()
        : DatabaseStoreTest(database_test::MariaDBServer::instance().create_database() +
                            "?charset=utf8mb4") {}
};

}  // namespace

BOOST_AUTO_TEST_SUITE(database_store_mariadb_test,
                      *boost::unit_test::precondition(mariadb_is_running))
BOOST_FIXTURE_TEST_SUITE(mariadb, MariaDBStoreTest)
#include "database_store_cases.ipp"
#include "session_cases.ipp"

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
