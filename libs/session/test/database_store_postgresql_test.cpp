#include <typhoon/session/database_store.hpp>

#include "session_app.hpp"

#include <typhoon/database/connection.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/testing/postgresql_server.hpp>

#include <boost/test/unit_test.hpp>

namespace {

namespace session = typhoon::session;
namespace database = typhoon::database;

struct PostgreSQLStoreTest : session_test::SessionAppTest {
    database::Connection db{typhoon::testing::PostgreSQLServer::instance().create_database()};
    session::DatabaseStore sessions{db};
    session::SessionStore& store() override { return sessions; }
    void teardown() {
        db.close();  // before the check for work left on the loop
        SessionAppTest::teardown();
    }
};

}  // namespace

// The cases every store passes, on a private PostgreSQL cluster; without one (no postgresql
// package) every case is reported skipped, and CTest shows the test skipped, never passed.
BOOST_AUTO_TEST_SUITE(database_store_postgresql_test,
                      *boost::unit_test::precondition(typhoon::testing::postgresql_is_running))
BOOST_FIXTURE_TEST_SUITE(postgresql, PostgreSQLStoreTest)
#include "session_cases.ipp"

TYPHOON_GEN_TEST(saving_the_same_record_twice_keeps_one_row) {
    const auto expires = std::chrono::system_clock::now() + std::chrono::hours(1);
    co_await sessions.save("a", "{}", expires);
    co_await sessions.save("a", "{}", expires);
    BOOST_TEST((co_await db.query("SELECT id FROM typhoon_sessions")).size() == 1u);
    BOOST_TEST((co_await sessions.load("a")).value_or("") == "{}");
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
