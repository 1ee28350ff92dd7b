// The test cases every backend passes, included inside a BOOST_FIXTURE_TEST_SUITE whose fixture
// derives from AsyncTestCase and has:
//   database::Connection open(database::ConnectionOptions options = {})   a fresh, empty database
//   std::string slow_sql()   a SELECT that takes about a second on that engine
//   std::string long_sql()   one that takes five seconds or more
//   std::string serial()     an INTEGER PRIMARY KEY column that numbers new rows itself
//   bool text_holds_nul()    whether a text column can store a NUL character (PostgreSQL's
//                            cannot: it refuses one with a DataError, its own test says)
// (sqlite_test.cpp, mariadb_test.cpp and postgresql_test.cpp), so that every engine meets one
// specification. PostgreSQL's suite defines BLOB, DOUBLE, DATETIME, LONGTEXT and LONGBLOB as
// domains over its own types, so that the same CREATE TABLE runs on all of them.

/// `values` without those holding a NUL, where the engine's text cannot store one.
template <class Fixture>
std::vector<std::string> storable(const Fixture& fixture, std::vector<std::string> values) {
    if (!fixture.text_holds_nul())
        std::erase_if(values, [](const std::string& v) { return v.find('\0') != v.npos; });
    return values;
}

TYPHOON_GEN_TEST(query_returns_every_row_read_by_column_name) {
    auto db = open();
    co_await db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, title VARCHAR(100))");
    co_await db.execute("INSERT INTO notes (id, title) VALUES (?, ?)", 1, "first");
    co_await db.execute("INSERT INTO notes (id, title) VALUES (?, ?)", 2, "second");
    auto rows = co_await db.query("SELECT id, title FROM notes ORDER BY id");
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    BOOST_TEST(rows[0]["id"].as_int64() == 1);
    BOOST_TEST(rows[0]["title"].as_string() == "first");
    BOOST_TEST(rows[1]["title"].as_string() == "second");
    BOOST_TEST((rows[1].columns() == std::vector<std::string>{"id", "title"}));
    auto none = co_await db.query("SELECT * FROM notes WHERE id > ?", 5);
    BOOST_TEST(none.empty());
}

TYPHOON_GEN_TEST(get_returns_the_only_row_nullopt_or_refuses_several) {
    auto db = open();
    co_await db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, title VARCHAR(100))");
    co_await db.executemany("INSERT INTO notes (id, title) VALUES (?, ?)", {{1, "a"}, {2, "b"}});
    auto one = co_await db.get("SELECT title FROM notes WHERE id = ?", 2);
    BOOST_TEST_REQUIRE(one.has_value());
    BOOST_TEST((*one)["title"].as_string() == "b");
    BOOST_TEST(!(co_await db.get("SELECT title FROM notes WHERE id = ?", 3)).has_value());
    try {
        co_await db.get("SELECT title FROM notes");
        BOOST_FAIL("get() of two rows did not throw");
    } catch (const database::InterfaceError& e) {
        BOOST_TEST(std::string(e.what()).find("Multiple rows returned") != std::string::npos);
    }
}

TYPHOON_GEN_TEST(execute_and_insert_return_the_new_id_update_returns_the_row_count) {
    auto db = open();
    co_await db.execute("CREATE TABLE notes (id " + serial() + ", title VARCHAR(100))");
    auto first = co_await db.execute("INSERT INTO notes (title) VALUES (?)", "a");
    auto second = co_await db.insert("INSERT INTO notes (title) VALUES (?)", "b");
    auto third = co_await db.execute_lastrowid("INSERT INTO notes (title) VALUES (?)", "c");
    BOOST_TEST(second == first + 1);
    BOOST_TEST(third == second + 1);
    BOOST_TEST(
        co_await db.execute_rowcount("UPDATE notes SET title = ? WHERE id >= ?", "z", second) == 2);
    BOOST_TEST(co_await db.update("UPDATE notes SET title = ? WHERE id = ?", "y", 999) == 0);
    BOOST_TEST(co_await db.execute_rowcount("DELETE FROM notes") == 3);
}

TYPHOON_GEN_TEST(executemany_runs_once_per_parameter_list) {
    auto db = open();
    co_await db.execute("CREATE TABLE notes (id " + serial() + ", title VARCHAR(100))");
    std::vector<database::Params> rows;
    for (int i = 0; i < 50; ++i)
        rows.push_back({"note " + std::to_string(i)});
    auto last = co_await db.insertmany("INSERT INTO notes (title) VALUES (?)", rows);
    auto max = co_await db.get("SELECT MAX(id) AS m, COUNT(*) AS n FROM notes");
    BOOST_TEST((*max)["m"].as_int64() == last);
    BOOST_TEST((*max)["n"].as_int64() == 50);
    BOOST_TEST(
        co_await db.executemany_rowcount("UPDATE notes SET title = ? WHERE title = ?",
                                         {{"x", "note 1"}, {"y", "note 2"}, {"w", "none"}}) == 2);
    BOOST_TEST(co_await db.updatemany("DELETE FROM notes WHERE title = ?", {}) == 0);
    BOOST_TEST(co_await db.executemany_lastrowid("DELETE FROM notes WHERE id = ?", {{last}}) >= 0);
    BOOST_TEST((co_await db.query("SELECT id FROM notes")).size() == 49u);
}

TYPHOON_GEN_TEST(iter_streams_every_row_in_order) {
    auto db = open({.max_connections = 2});
    co_await db.execute("CREATE TABLE numbers (n INTEGER)");
    std::vector<database::Params> rows;
    for (int i = 0; i < 1000; ++i)
        rows.push_back({i});
    co_await db.executemany("INSERT INTO numbers (n) VALUES (?)", rows);
    auto stream = co_await db.iter("SELECT n FROM numbers WHERE n >= ? ORDER BY n", 0);
    std::int64_t expected = 0;
    while (auto row = co_await stream.next()) {
        BOOST_TEST_REQUIRE((*row)["n"].as_int64() == expected);
        ++expected;
    }
    BOOST_TEST(expected == 1000);
    BOOST_TEST(!(co_await stream.next()).has_value());
    BOOST_TEST(db.pool_status().idle == db.pool_status().open);  // the connection went back
}

TYPHOON_GEN_TEST(a_stream_dropped_early_leaves_the_pool_usable) {
    auto db = open({.max_connections = 1, .pool_timeout = 2s});
    co_await db.execute("CREATE TABLE numbers (n INTEGER)");
    std::vector<database::Params> rows;
    for (int i = 0; i < 2000; ++i)
        rows.push_back({i});
    co_await db.executemany("INSERT INTO numbers (n) VALUES (?)", rows);
    {
        auto stream = co_await db.iter("SELECT n FROM numbers ORDER BY n");
        BOOST_TEST((*co_await stream.next())["n"].as_int64() == 0);
    }
    auto count = co_await db.get("SELECT COUNT(*) AS c FROM numbers");
    BOOST_TEST((*count)["c"].as_int64() == 2000);
}

TYPHOON_GEN_TEST(nulls_and_every_mapped_type_round_trip) {
    auto db = open();
    co_await db.execute(
        "CREATE TABLE kinds (i BIGINT, neg INTEGER, f DOUBLE, s VARCHAR(50), b BLOB, day DATE, "
        "at DATETIME, flag INTEGER, n VARCHAR(10), u BIGINT)");
    const std::string blob("\0\xff\x01'\"\\", 6);
    co_await db.execute("INSERT INTO kinds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        std::int64_t{9007199254740993}, -42, 0.1, "text", database::Bytes{blob},
                        "2024-05-01", "2024-05-01 12:30:00", true, nullptr, std::optional<int>{});
    auto row = co_await db.get("SELECT * FROM kinds");
    BOOST_TEST_REQUIRE(row.has_value());
    const auto& r = *row;
    BOOST_TEST(r["i"].as_int64() == 9007199254740993);
    BOOST_TEST(r["neg"].as_int64() == -42);
    BOOST_TEST(r["f"].as_double() == 0.1);
    BOOST_TEST(r["s"].as_string() == "text");
    BOOST_TEST(std::string(r["b"].as_string()) == blob);
    BOOST_TEST(r["day"].as_string() == "2024-05-01");
    BOOST_TEST(r["at"].as_string() == "2024-05-01T12:30:00");
    BOOST_TEST(r["flag"].as_int64() == 1);
    BOOST_TEST(r["n"].is_null());
    BOOST_TEST(r["u"].is_null());
    auto json = r.to_json();
    BOOST_TEST(json.at("n").is_null());
    BOOST_TEST(json.begin()->key() == "i");  // column order is kept
    // A NULL parameter matches nothing with "=", as SQL says, and IS NULL finds the row.
    BOOST_TEST((co_await db.query("SELECT * FROM kinds WHERE n = ?", nullptr)).empty());
    BOOST_TEST((co_await db.query("SELECT * FROM kinds WHERE n IS NULL")).size() == 1u);
    // A JSON value binds as its scalar.
    auto json_param = boost::json::value(0.1);
    BOOST_TEST((co_await db.query("SELECT * FROM kinds WHERE f = ?", json_param)).size() == 1u);
}

TYPHOON_GEN_TEST(unicode_and_emoji_round_trip_unchanged) {
    auto db = open();
    co_await db.execute("CREATE TABLE notes (body VARCHAR(100))");
    const std::string text = "Typhoon \xf0\x9f\x8c\x80 台風 naïve \xf0\x9f\x98\x80";
    co_await db.execute("INSERT INTO notes (body) VALUES (?)", text);
    auto row = co_await db.get("SELECT body FROM notes WHERE body = ?", text);
    BOOST_TEST_REQUIRE(row.has_value());
    BOOST_TEST(std::string((*row)["body"].as_string()) == text);
}

TYPHOON_GEN_TEST(sql_injection_through_parameters_is_stored_as_text) {
    auto db = open();
    co_await db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(200))");
    const std::vector<std::string> attacks = storable(*this, {
        "x'); DROP TABLE notes; --",
        "\\'; DROP TABLE notes; -- ",
        "' OR '1'='1",
        "? ? ?",
        "\" OR \"\"=\"",
        std::string("nul\0byte", 8),
    });
    for (std::size_t i = 0; i < attacks.size(); ++i)
        co_await db.execute("INSERT INTO notes (id, body) VALUES (?, ?)", i, attacks[i]);
    auto rows = co_await db.query("SELECT body FROM notes ORDER BY id");
    BOOST_TEST_REQUIRE(rows.size() == attacks.size());
    for (std::size_t i = 0; i < attacks.size(); ++i)
        BOOST_TEST(std::string(rows[i]["body"].as_string()) == attacks[i]);
    BOOST_TEST((co_await db.query("SELECT * FROM notes WHERE body = ?", "' OR '1'='1")).size() ==
               1u);
}

TYPHOON_GEN_TEST(a_parameter_count_that_does_not_match_is_a_programming_error) {
    auto db = open();
    co_await db.execute("CREATE TABLE notes (a INTEGER, b INTEGER)");
    try {
        co_await db.execute("INSERT INTO notes VALUES (?, ?)", 1);
        BOOST_FAIL("too few parameters did not throw");
    } catch (const database::ProgrammingError& e) {
        BOOST_TEST_INFO("what: " << e.what());
        BOOST_TEST(std::string(e.what()).find("2 placeholders but 1 parameters") !=
                   std::string::npos);
        BOOST_TEST(std::string(e.what()).find("INSERT INTO notes VALUES (?, ?)") !=
                   std::string::npos);
    }
    BOOST_CHECK_THROW(co_await db.execute("INSERT INTO notes VALUES (?, ?)", 1, 2, 3),
                      database::ProgrammingError);
    BOOST_CHECK_THROW(co_await db.query("SELECT * FROM notes", 1), database::ProgrammingError);
    BOOST_CHECK_THROW(co_await db.executemany("INSERT INTO notes VALUES (?, ?)", {{1, 2}, {3}}),
                      database::ProgrammingError);
    BOOST_CHECK_THROW(co_await db.iter("SELECT * FROM notes WHERE a = ?"),
                      database::ProgrammingError);
    // A list of many with one wrong row runs none of them.
    BOOST_TEST((co_await db.query("SELECT * FROM notes")).empty());
    co_await db.execute("INSERT INTO notes VALUES (?, ?)", 1, 2);
    BOOST_TEST((co_await db.query("SELECT * FROM notes WHERE a = ?", 1)).size() == 1u);
}

TYPHOON_GEN_TEST(parameters_full_of_sql_syntax_round_trip_byte_exact) {
    auto db = open({.max_connections = 1});
    co_await db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    const std::vector<std::string> values = storable(*this, {
        "?",
        "? ?",
        "'?'",
        "it's",
        "\\",
        "\\'",
        "'\\",
        "\\0",
        std::string("a\0b\0?\0'", 7),
        std::string(1, '\0'),
        "-- a comment",
        "x'); DELETE FROM notes; -- ",
        "/* ? */ */",
        "#",
        "\"\"",
        "`",
        ";",
        "\n\r\t\x1a",
        "",
    });
    for (std::size_t i = 0; i < values.size(); ++i)
        co_await db.execute("INSERT INTO notes (id, body) VALUES (?, ?)", i, values[i]);
    auto rows = co_await db.query("SELECT id, body FROM notes ORDER BY id");
    BOOST_TEST_REQUIRE(rows.size() == values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        BOOST_TEST_INFO("value " << i);
        BOOST_TEST(std::string(rows[i]["body"].as_string()) == values[i]);
        // The same value found again through a parameter, and only that row.
        auto found = co_await db.query("SELECT id FROM notes WHERE body = ?", values[i]);
        BOOST_TEST_REQUIRE(found.size() == 1u);
        BOOST_TEST(found[0]["id"].as_int64() == static_cast<std::int64_t>(i));
    }
}

TYPHOON_GEN_TEST(a_question_mark_inside_a_string_literal_is_not_a_parameter) {
    auto db = open();
    co_await db.execute("CREATE TABLE notes (body VARCHAR(20), tag VARCHAR(20))");
    co_await db.execute("INSERT INTO notes (body, tag) VALUES (?, '?')", "x");
    co_await db.execute("INSERT INTO notes (body, tag) VALUES ('it''s ?', ?) -- ?", "y");
    auto rows = co_await db.query("SELECT body, tag FROM notes ORDER BY tag");
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    BOOST_TEST(rows[0]["body"].as_string() == "x");
    BOOST_TEST(rows[0]["tag"].as_string() == "?");
    BOOST_TEST(rows[1]["body"].as_string() == "it's ?");
    BOOST_TEST(rows[1]["tag"].as_string() == "y");
    auto row = *co_await db.get("SELECT '?' AS a, 'it''s ?' AS b, ? AS c /* ? */", 7);
    BOOST_TEST(row["a"].as_string() == "?");
    BOOST_TEST(row["b"].as_string() == "it's ?");
    BOOST_TEST(row["c"].as_int64() == 7);
}

TYPHOON_GEN_TEST(blob_parameters_with_every_byte_value_round_trip) {
    auto db = open();
    co_await db.execute("CREATE TABLE files (id INTEGER PRIMARY KEY, data BLOB)");
    std::string all(256, '\0');
    for (int i = 0; i < 256; ++i)
        all[static_cast<std::size_t>(i)] = static_cast<char>(i);
    const std::string reversed(all.rbegin(), all.rend());
    const std::string many = all + reversed + all;
    co_await db.executemany("INSERT INTO files (id, data) VALUES (?, ?)",
                            {{1, database::Bytes{all}},
                             {2, database::Bytes{reversed}},
                             {3, database::Bytes{many}},
                             {4, database::Bytes{}}});
    auto rows = co_await db.query("SELECT data, LENGTH(data) AS n FROM files ORDER BY id");
    BOOST_TEST_REQUIRE(rows.size() == 4u);
    BOOST_TEST(std::string(rows[0]["data"].as_string()) == all);
    BOOST_TEST(rows[0]["n"].as_int64() == 256);
    BOOST_TEST(std::string(rows[1]["data"].as_string()) == reversed);
    BOOST_TEST(std::string(rows[2]["data"].as_string()) == many);
    BOOST_TEST(rows[3]["data"].as_string().empty());
    auto found = co_await db.get("SELECT id FROM files WHERE data = ?", database::Bytes{reversed});
    BOOST_TEST_REQUIRE(found.has_value());
    BOOST_TEST((*found)["id"].as_int64() == 2);
}

TYPHOON_GEN_TEST(a_megabyte_of_text_and_of_bytes_round_trips) {
    auto db = open({.max_connections = 1});
    co_await db.execute("CREATE TABLE big (id INTEGER PRIMARY KEY, body LONGTEXT, data LONGBLOB)");
    std::string text;
    text.reserve(1 << 20);
    while (text.size() < (1u << 20))
        text += "line " + std::to_string(text.size()) + " \xe5\x8f\xb0\xe9\xa2\xa8 '?'\n";
    text.resize(1 << 20);
    std::string bytes(1 << 20, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<char>((i * 7919) & 0xff);
    // Short values around the long ones: a reader that grows its buffer for one row must
    // still read the shorter rows after it exactly.
    co_await db.executemany("INSERT INTO big VALUES (?, ?, ?)",
                            {{1, "short", database::Bytes{"b"}},
                             {2, text, database::Bytes{bytes}},
                             {3, "s", database::Bytes{""}},
                             {4, text.substr(0, 300), database::Bytes{bytes.substr(0, 300)}}});
    auto rows = co_await db.query("SELECT body, data FROM big ORDER BY id");
    BOOST_TEST_REQUIRE(rows.size() == 4u);
    BOOST_TEST(rows[0]["body"].as_string() == "short");
    BOOST_TEST(std::string(rows[1]["body"].as_string()) == text);
    BOOST_TEST(std::string(rows[1]["data"].as_string()) == bytes);
    BOOST_TEST(rows[2]["body"].as_string() == "s");
    BOOST_TEST(rows[2]["data"].as_string().empty());
    BOOST_TEST(std::string(rows[3]["body"].as_string()) == text.substr(0, 300));
    BOOST_TEST(std::string(rows[3]["data"].as_string()) == bytes.substr(0, 300));
    auto stream = co_await db.iter("SELECT body, data FROM big ORDER BY id");
    std::vector<std::size_t> sizes;
    while (auto row = co_await stream.next())
        sizes.push_back((*row)["body"].as_string().size() + (*row)["data"].as_string().size());
    BOOST_TEST((sizes == std::vector<std::size_t>{6, 2u << 20, 1, 600}));
    auto found = co_await db.get("SELECT id FROM big WHERE body = ?", text);
    BOOST_TEST((*found)["id"].as_int64() == 2);
}

TYPHOON_GEN_TEST(bad_sql_is_a_programming_error_naming_the_sql_and_the_pool_stays_healthy) {
    auto db = open({.max_connections = 1});
    for (int i = 0; i < 3; ++i) {
        try {
            co_await db.query("SELEC oops FROM nowhere");
            BOOST_FAIL("bad SQL did not throw");
        } catch (const database::ProgrammingError& e) {
            BOOST_TEST(std::string(e.what()).find("SELEC oops FROM nowhere") != std::string::npos);
        }
    }
    BOOST_CHECK_THROW(co_await db.query("SELECT * FROM no_such_table"), database::ProgrammingError);
    auto row = co_await db.get("SELECT 1 + 1 AS two");
    BOOST_TEST((*row)["two"].as_int64() == 2);
    BOOST_TEST(db.pool_status().open == 1);
}

TYPHOON_GEN_TEST(a_constraint_violation_is_an_integrity_error) {
    auto db = open({.max_connections = 1});
    co_await db.execute("CREATE TABLE users (email VARCHAR(100) NOT NULL UNIQUE)");
    co_await db.execute("INSERT INTO users (email) VALUES (?)", "ada@example.com");
    BOOST_CHECK_THROW(
        co_await db.execute("INSERT INTO users (email) VALUES (?)", "ada@example.com"),
        database::IntegrityError);
    BOOST_CHECK_THROW(co_await db.execute("INSERT INTO users (email) VALUES (?)", nullptr),
                      database::IntegrityError);
    BOOST_TEST((co_await db.query("SELECT * FROM users")).size() == 1u);
}

TYPHOON_GEN_TEST(a_committed_transaction_persists) {
    auto db = open();
    co_await db.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER)");
    co_await db.executemany("INSERT INTO accounts VALUES (?, ?)", {{1, 100}, {2, 0}});
    {
        auto tx = co_await db.begin();
        BOOST_TEST(tx.active());
        co_await tx.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", 30, 1);
        co_await tx.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", 30, 2);
        auto inside = co_await tx.get("SELECT balance FROM accounts WHERE id = ?", 2);
        BOOST_TEST((*inside)["balance"].as_int64() == 30);
        co_await tx.commit();
        BOOST_TEST(!tx.active());
        BOOST_CHECK_THROW(co_await tx.commit(), database::InterfaceError);
        BOOST_CHECK_THROW(co_await tx.query("SELECT 1"), database::InterfaceError);
    }
    auto rows = co_await db.query("SELECT balance FROM accounts ORDER BY id");
    BOOST_TEST(rows[0]["balance"].as_int64() == 70);
    BOOST_TEST(rows[1]["balance"].as_int64() == 30);
}

TYPHOON_GEN_TEST(a_transaction_rolled_back_or_left_uncommitted_changes_nothing) {
    auto db = open({.max_connections = 1});
    co_await db.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER)");
    co_await db.execute("INSERT INTO accounts VALUES (?, ?)", 1, 100);
    {
        auto tx = co_await db.begin();
        co_await tx.execute("UPDATE accounts SET balance = 0");
        co_await tx.rollback();
    }
    BOOST_TEST((*co_await db.get("SELECT balance FROM accounts"))["balance"].as_int64() == 100);
    try {
        auto tx = co_await db.begin();
        co_await tx.execute("UPDATE accounts SET balance = 0");
        throw std::runtime_error("the handler failed half-way");
    } catch (const std::runtime_error&) {
    }
    // The one connection comes back only after its rollback, so this query sees the old value.
    BOOST_TEST((*co_await db.get("SELECT balance FROM accounts"))["balance"].as_int64() == 100);
    BOOST_TEST(db.pool_status().open == 1);
}

TYPHOON_GEN_TEST(a_failed_statement_inside_a_transaction_can_be_rolled_back) {
    auto db = open();
    co_await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    auto tx = co_await db.begin();
    co_await tx.execute("INSERT INTO t VALUES (?)", 1);
    BOOST_CHECK_THROW(co_await tx.execute("INSERT INTO t VALUES (?)", 1), database::IntegrityError);
    co_await tx.rollback();
    BOOST_TEST((co_await db.query("SELECT * FROM t")).empty());
}

TYPHOON_GEN_TEST_TIMEOUT(the_pool_serves_200_coroutines_with_8_connections, 60s) {
    auto db = open({.max_connections = 8, .pool_timeout = 30s});
    co_await db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, v INTEGER)");
    std::vector<database::Params> rows;
    for (int i = 0; i < 200; ++i)
        rows.push_back({i, i * i});
    co_await db.executemany("INSERT INTO items VALUES (?, ?)", rows);
    int most_open = 0;
    int correct = 0;
    auto one = [&](int i) -> awaitable<void> {
        auto row = co_await db.get("SELECT v FROM items WHERE id = ?", i);
        if (row && (*row)["v"].as_int64() == i * i) ++correct;
        most_open = std::max(most_open, db.pool_status().open);
    };
    std::vector<awaitable<void>> all;
    for (int i = 0; i < 200; ++i)
        all.push_back(one(i));
    co_await gen::multi(std::move(all));
    BOOST_TEST(correct == 200);
    BOOST_TEST(most_open <= 8);
    BOOST_TEST(most_open > 1);  // they did run concurrently
    BOOST_TEST(db.pool_status().open == db.pool_status().idle);
}

TYPHOON_GEN_TEST(waiting_longer_than_pool_timeout_for_a_connection_is_an_operational_error) {
    auto db = open({.max_connections = 1, .pool_timeout = 50ms});
    auto tx = co_await db.begin();  // holds the only connection
    try {
        co_await db.query("SELECT 1");
        BOOST_FAIL("no timeout");
    } catch (const database::OperationalError& e) {
        BOOST_TEST(std::string(e.what()).find("max_connections = 1") != std::string::npos);
    }
    co_await tx.commit();
    BOOST_TEST((co_await db.query("SELECT 1 AS one")).size() == 1u);
}

TYPHOON_GEN_TEST(a_connection_idle_longer_than_max_idle_time_is_reopened) {
    auto db = open({.max_idle_time = 30ms, .max_connections = 1});
    // A temporary table lives as long as its connection: it tells a reopened one apart.
    co_await db.execute("CREATE TEMPORARY TABLE scratch (x INTEGER)");
    co_await db.query("SELECT * FROM scratch");  // at once: still the same connection
    co_await gen::sleep(60ms);                   // idle past max_idle_time
    BOOST_CHECK_THROW(co_await db.query("SELECT * FROM scratch"), database::ProgrammingError);
    BOOST_TEST(db.pool_status().open == 1);
}

TYPHOON_GEN_TEST(close_and_reconnect_open_a_new_connection) {
    auto db = open();
    co_await db.execute("CREATE TEMPORARY TABLE scratch (x INTEGER)");
    BOOST_TEST(db.pool_status().open == 1);
    db.close();
    BOOST_TEST(db.pool_status().open == 0);
    BOOST_CHECK_THROW(co_await db.query("SELECT * FROM scratch"), database::ProgrammingError);
    co_await db.execute("CREATE TEMPORARY TABLE scratch (x INTEGER)");
    co_await db.reconnect();
    BOOST_TEST(db.pool_status().open == 1);
    BOOST_TEST(db.pool_status().idle == 1);
    BOOST_CHECK_THROW(co_await db.query("SELECT * FROM scratch"), database::ProgrammingError);
}

TYPHOON_GEN_TEST(a_query_cancelled_by_a_timeout_leaves_the_pool_healthy) {
    auto db = open({.max_connections = 2});
    BOOST_CHECK_THROW(co_await gen::with_timeout(50ms, db.query(slow_sql())), gen::TimeoutError);
    auto row = co_await db.get("SELECT 40 + 2 AS answer");
    BOOST_TEST((*row)["answer"].as_int64() == 42);
}

TYPHOON_GEN_TEST_TIMEOUT(a_statement_past_its_timeout_is_stopped_and_its_call_fails_naming_it,
                         60s) {
    auto db = open({.max_connections = 2});
    auto expect_timeout = [&](auto call) -> awaitable<void> {
        const auto started = std::chrono::steady_clock::now();
        try {
            co_await call();
            BOOST_FAIL("the statement ran to its end");
        } catch (const database::OperationalError& e) {
            BOOST_TEST_INFO("what: " << e.what());
            BOOST_TEST(std::string(e.what()).find("timeout of 200 ms") != std::string::npos);
        }
        // Stopped on the database, not merely abandoned: the call ends about when it should.
        BOOST_TEST((std::chrono::steady_clock::now() - started < 3s));
    };
    // (The TimedQueries that with_timeout() returns lives until its call has ended.)
    co_await expect_timeout(
        [&]() -> awaitable<void> { co_await db.with_timeout(200ms).query(long_sql()); });
    BOOST_TEST((*co_await db.get("SELECT 40 + 2 AS answer"))["answer"].as_int64() == 42);
    // A statement that ends in time is not affected.
    BOOST_TEST((*co_await db.with_timeout(5s).get("SELECT 1 AS one"))["one"].as_int64() == 1);
    // ConnectionOptions::query_timeout is every call's, in a transaction too.
    auto limited = open({.max_connections = 1, .query_timeout = 200ms});
    co_await expect_timeout([&] { return limited.query(long_sql()); });
    {
        auto tx = co_await limited.begin();
        co_await expect_timeout([&] { return tx.query(long_sql()); });
        co_await tx.rollback();
    }
    BOOST_TEST((*co_await limited.get("SELECT 2 AS two"))["two"].as_int64() == 2);
    BOOST_TEST(db.pool_status().open >= 1);
}

TYPHOON_GEN_TEST(the_same_statements_run_again_after_reconnect_and_close) {
    auto db = open({.max_connections = 1});
    co_await db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, v INTEGER)");
    co_await db.execute("INSERT INTO items VALUES (?, ?)", 1, 10);
    const std::string select = "SELECT v FROM items WHERE id = ?";
    BOOST_TEST((*co_await db.get(select, 1))["v"].as_int64() == 10);
    co_await db.reconnect();
    BOOST_TEST((*co_await db.get(select, 1))["v"].as_int64() == 10);
    co_await db.execute("INSERT INTO items VALUES (?, ?)", 2, 20);
    db.close();
    BOOST_TEST((*co_await db.get(select, 2))["v"].as_int64() == 20);
    auto stream = co_await db.iter(select, 2);
    BOOST_TEST((*co_await stream.next())["v"].as_int64() == 20);
    BOOST_TEST(!(co_await stream.next()).has_value());
}

TYPHOON_GEN_TEST(a_statement_run_before_a_table_changes_sees_the_new_columns) {
    auto db = open({.max_connections = 1});
    co_await db.execute("CREATE TABLE items (id INTEGER)");
    co_await db.execute("INSERT INTO items VALUES (?)", 1);
    auto before = *co_await db.get("SELECT * FROM items");
    BOOST_TEST((before.columns() == std::vector<std::string>{"id"}));
    co_await db.execute("ALTER TABLE items ADD COLUMN title VARCHAR(20)");
    co_await db.execute("UPDATE items SET title = ?", "added");
    auto after = *co_await db.get("SELECT * FROM items");
    BOOST_TEST((after.columns() == std::vector<std::string>{"id", "title"}));
    BOOST_TEST(after["title"].as_string() == "added");
}

TYPHOON_GEN_TEST(more_distinct_statements_than_a_connection_keeps_prepared_all_run) {
    auto db = open({.max_connections = 1});
    co_await db.execute("CREATE TABLE numbers (n INTEGER)");
    co_await db.execute("INSERT INTO numbers VALUES (?)", 5);
    // 200 different statements, twice over, on one connection: older ones are dropped and
    // prepared again when they come back.
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 200; ++i) {
            auto row = co_await db.get(
                "SELECT n + " + std::to_string(i) + " AS m FROM numbers WHERE n = ?", 5);
            BOOST_TEST_REQUIRE((*row)["m"].as_int64() == 5 + i);
        }
    }
    BOOST_TEST(db.pool_status().open == 1);
}
