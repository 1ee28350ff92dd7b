#include <typhoon/http/cookies.hpp>

#include <boost/test/unit_test.hpp>

#include "linear_time.hpp"

// Expected values were produced by Debian's python3-tornado 6.2 on the same inputs.
using typhoon::httputil::is_legal_cookie_name;
using typhoon::httputil::parse_cookie;
using Cookies = std::map<std::string, std::string, std::less<>>;

BOOST_AUTO_TEST_SUITE(cookies_test)

BOOST_AUTO_TEST_CASE(reads_names_and_values_and_unquotes) {
    BOOST_TEST((parse_cookie(R"(a=1; b="x\"y")") == Cookies{{"a", "1"}, {"b", "x\"y"}}));
    BOOST_TEST((parse_cookie(R"(q="\012\101\\")") == Cookies{{"q", "\nA\\"}}));
    BOOST_TEST(
        (parse_cookie(R"(e="\351")") == Cookies{{"e", "\xE9"}}));  // the byte, as Latin-1 text
}

BOOST_AUTO_TEST_CASE(a_chunk_without_equals_has_an_empty_name) {
    BOOST_TEST((parse_cookie("noequals; c = 3 ;") == Cookies{{"", "noequals"}, {"c", "3"}}));
}

BOOST_AUTO_TEST_CASE(the_last_duplicate_wins) {
    BOOST_TEST((parse_cookie("a=1; a=2") == Cookies{{"a", "2"}}));
}

BOOST_AUTO_TEST_CASE(odd_input_is_kept_rather_than_refused) {
    BOOST_TEST((parse_cookie(R"(x="unterminated)") == Cookies{{"x", "\"unterminated"}}));
    BOOST_TEST((parse_cookie("k=\"a\\\nb\"") == Cookies{{"k", "a\\\nb"}}));
    BOOST_TEST(parse_cookie("").empty());
    BOOST_TEST(parse_cookie(" ; ;").empty());
}

BOOST_AUTO_TEST_CASE(legal_names_are_what_python_http_cookies_accepts) {
    BOOST_TEST(is_legal_cookie_name("session_id"));
    BOOST_TEST(is_legal_cookie_name("a!#$%&'*+-.^_`|~:"));
    BOOST_TEST(!is_legal_cookie_name(""));
    BOOST_TEST(!is_legal_cookie_name("bad name"));
    BOOST_TEST(!is_legal_cookie_name("Expires"));  // attribute names are reserved, in any case
    BOOST_TEST(!is_legal_cookie_name("max-age"));
}

BOOST_AUTO_TEST_CASE(quotes_and_backslashes_parse_in_linear_time) {
    // A Cookie header is attacker input; Python's unquoting regex went quadratic on these shapes.
    const auto repeat = [](std::string_view unit, std::size_t size) {
        std::string out;
        while (out.size() < size)
            out += unit;
        return out;
    };
    for (const std::string_view unit : {"\"\\", "\\\"", "\\", "\"", "\\0", "\"; "}) {
        BOOST_TEST_CONTEXT("unit " << unit) {
            http_test::check_linear_time(
                [&](std::size_t size) { return "a=\"" + repeat(unit, size) + "\""; },
                [](const std::string& header) { BOOST_TEST(!parse_cookie(header).empty()); });
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
