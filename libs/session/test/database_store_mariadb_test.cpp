#include <typhoon/session/database_store.hpp>

#include "database_store_fixture.hpp"
#include "mariadb_server.hpp"

#include <typhoon/database/connection.hpp>
#include <typhoon/ioloop/gen.hpp>

#include <boost/test/unit_test.hpp>

namespace {

namespace session = typhoon::session;
namespace database = typhoon::database;

using database_test::mariadb_is_running;

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
