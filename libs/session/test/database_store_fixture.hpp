#ifndef TYPHOON_SESSION_TEST_DATABASE_STORE_FIXTURE_HPP
#define TYPHOON_SESSION_TEST_DATABASE_STORE_FIXTURE_HPP

// The session application on a DatabaseStore, for each engine's suite: the engine's fixture
// only says which database.

#include "session_app.hpp"

#include <typhoon/database/connection.hpp>
#include <typhoon/session/database_store.hpp>

#include <string>
#include <utility>

namespace session_test {

struct DatabaseStoreTest : SessionAppTest {
    typhoon::database::Connection db;
    typhoon::session::DatabaseStore sessions{db};

    explicit DatabaseStoreTest(std::string url) : db(std::move(url)) {}
    typhoon::session::SessionStore& store() override { return sessions; }
    void teardown() {
        db.close();  // before the check for work left on the loop
        SessionAppTest::teardown();
    }
};

}  // namespace session_test

#endif
