#include "postgresql_sql.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace {
using typhoon::database::detail::postgresql_statement;
}  // namespace

BOOST_AUTO_TEST_SUITE(postgresql_sql_test)

BOOST_AUTO_TEST_CASE(question_marks_become_numbered_parameters) {
    const auto statement = postgresql_statement("SELECT * FROM t WHERE a = ? AND b = ?");
    BOOST_TEST(statement.sql == "SELECT * FROM t WHERE a = $1 AND b = $2");
    BOOST_TEST(statement.placeholders == 2);
}

BOOST_AUTO_TEST_CASE(literals_quoted_names_comments_and_dollar_bodies_keep_their_marks) {
    const auto statement = postgresql_statement(
        "SELECT 'it''s ?', \"odd?name\", $$ ? $$, $f$ ? $f$ /* ? /* ? */ ? */ -- ?\n, ?");
    BOOST_TEST(statement.sql ==
               "SELECT 'it''s ?', \"odd?name\", $$ ? $$, $f$ ? $f$ /* ? /* ? */ ? */ -- ?\n, $1");
    BOOST_TEST(statement.placeholders == 1);
}

BOOST_AUTO_TEST_CASE(a_statement_with_its_own_numbers_keeps_every_question_mark) {
    // jsonb's ? operator, beside a parameter the SQL numbers itself.
    const auto statement = postgresql_statement("SELECT data ? 'key' FROM t WHERE id = $2");
    BOOST_TEST(statement.sql == "SELECT data ? 'key' FROM t WHERE id = $2");
    BOOST_TEST(statement.placeholders == 2);
}

BOOST_AUTO_TEST_CASE(a_parameter_number_too_big_for_an_int_is_left_to_the_server) {
    // Found by fuzz/postgresql_text: the number overflowed while it was read.
    const std::string sql = "SELECT $88888888777777777777777";
    const auto statement = postgresql_statement(sql);
    BOOST_TEST(statement.sql == sql);
    BOOST_TEST(statement.placeholders > 65535);  // more than the protocol allows: refused there
}

BOOST_AUTO_TEST_SUITE_END()
