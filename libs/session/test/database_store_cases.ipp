// What a DatabaseStore does on every engine, beside the cases of every store
// (session_cases.ipp); included inside an engine's suite whose fixture is a DatabaseStoreTest.

TYPHOON_GEN_TEST(saving_the_same_record_twice_keeps_one_row) {
    // MariaDB reports 0 rows changed for an UPDATE that changes nothing: the save must still
    // not fail, nor add a row.
    const auto expires = std::chrono::system_clock::now() + std::chrono::hours(1);
    co_await sessions.save("a", "{}", expires);
    co_await sessions.save("a", "{}", expires);
    BOOST_TEST((co_await db.query("SELECT id FROM typhoon_sessions")).size() == 1u);
    BOOST_TEST((co_await sessions.load("a")).value_or("") == "{}");
}
