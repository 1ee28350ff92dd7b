#include <typhoon/session/database_store.hpp>

#include "database_store_fixture.hpp"

#include <typhoon/database/connection.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/testing/postgresql_server.hpp>

#include <boost/test/unit_test.hpp>

namespace {

namespace session = typhoon::session;
namespace database = typhoon::database;

struct PostgreSQLStoreTest : session_test::DatabaseStoreTest {
    PostgreSQLStoreTest()
        : DatabaseStoreTest(typhoon::testing::PostgreSQLServer::instance().create_database()) {}
};

}  // namespace

// The cases every store passes, on a private PostgreSQL cluster; without one (no postgresql
// package) every case is reported skipped, and CTest shows the test skipped, never passed.
BOOST_AUTO_TEST_SUITE(database_store_postgresql_test,
                      *boost::unit_test::precondition(typhoon::testing::postgresql_is_running))
BOOST_FIXTURE_TEST_SUITE(postgresql, PostgreSQLStoreTest)
#include "database_store_cases.ipp"
#include "session_cases.ipp"

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
