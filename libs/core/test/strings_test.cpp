#include <typhoon/core/detail/strings.hpp>

#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>

// Expected values are what Debian's Python 3.11 prints for the same strip() and repr() calls.
using namespace typhoon::escape::detail;

BOOST_AUTO_TEST_SUITE(strings_test)

BOOST_AUTO_TEST_CASE(strip_takes_the_given_bytes_off_both_ends) {
    BOOST_TEST(strip(" a b\n") == "a b");
    BOOST_TEST(strip("\t\v\f\r ") == "");
    BOOST_TEST(strip("") == "");
    BOOST_TEST(strip("\x1c a\x1f") == "\x1c a\x1f");  // bytes.strip() keeps the separators
    BOOST_TEST(strip("\x1c a\x1f", python_ascii_whitespace) == "a");  // str.strip() does not
    BOOST_TEST(strip(" \ta\r\n\t", http_whitespace) == "a\r\n");
    static_assert(strip("  x  ") == "x");
}

BOOST_AUTO_TEST_CASE(hex_encode_writes_two_lower_case_digits_per_byte) {
    using namespace std::string_literals;
    BOOST_TEST(hex_encode("") == "");
    // Python: b"\x00\x0f\xa0\xff A".hex() == "000fa0ff2041"
    BOOST_TEST(hex_encode("\x00\x0f\xa0\xff A"s) == "000fa0ff2041");
}

BOOST_AUTO_TEST_CASE(ascii_lower_lowers_only_ascii_letters) {
    BOOST_TEST(ascii_lower("Content-TYPE: X") == "content-type: x");
    BOOST_TEST(ascii_lower("\xc3\x89T\xc3\x89") == "\xc3\x89t\xc3\x89");  // "ÉTÉ" keeps its É
    BOOST_TEST(ascii_lower("") == "");
}

BOOST_AUTO_TEST_CASE(strip_unicode_strips_what_python_str_strip_strips) {
    BOOST_TEST(strip_unicode("\u3000a b\u00a0") == "a b");
    BOOST_TEST(strip_unicode("\x1c\u0085 a \u2028") == "a");
    BOOST_TEST(strip_unicode(" \u200b ") == "\u200b");  // a zero-width space is not white space
    BOOST_TEST(strip_unicode("\xe3\x80 a \xc2") == "\xe3\x80 a \xc2");  // invalid bytes stay
    BOOST_TEST(strip_unicode("\xc0\xa0x") == "\xc0\xa0x");  // an overlong space is not one
    BOOST_TEST(strip_unicode(" \t\n") == "");
}

BOOST_AUTO_TEST_CASE(str_repr_quotes_as_python_does) {
    BOOST_TEST(python_repr("abc") == "'abc'");
    BOOST_TEST(python_repr("it's") == "\"it's\"");
    BOOST_TEST(python_repr("say \"hi\"") == "'say \"hi\"'");
    BOOST_TEST(python_repr("both ' and \"") == "'both \\' and \"'");
    BOOST_TEST(python_repr("back\\slash") == "'back\\\\slash'");
}

BOOST_AUTO_TEST_CASE(str_repr_escapes_what_is_not_printable) {
    BOOST_TEST(python_repr("tab\tnl\nr\r") == "'tab\\tnl\\nr\\r'");
    BOOST_TEST(python_repr(std::string("\x00\x1f\x7f", 3)) == "'\\x00\\x1f\\x7f'");
    BOOST_TEST(python_repr("café") == "'café'");
    BOOST_TEST(python_repr("\u0085\u00a0") == "'\\x85\\xa0'");
    BOOST_TEST(python_repr("\u2028\ufeff\ue000") == "'\\u2028\\ufeff\\ue000'");
    BOOST_TEST(python_repr("\U0001F600") == "'\U0001F600'");
    BOOST_TEST(python_repr("\U000F0000") == "'\\U000f0000'");
    BOOST_TEST(python_repr("a\xff") == "'a\\xff'");  // invalid UTF-8, which no str can hold
}

BOOST_AUTO_TEST_CASE(bytes_repr_is_b_quoted_with_every_non_ascii_byte_escaped) {
    BOOST_TEST(python_repr("abc", Repr::bytes) == "b'abc'");
    BOOST_TEST(python_repr("it's", Repr::bytes) == "b\"it's\"");
    BOOST_TEST(python_repr("café", Repr::bytes) == "b'caf\\xc3\\xa9'");
    BOOST_TEST(python_repr(std::string("\x00\x7f\xff", 3), Repr::bytes) == "b'\\x00\\x7f\\xff'");
    BOOST_TEST(python_repr("\t\n\r\\", Repr::bytes) == "b'\\t\\n\\r\\\\'");
}

BOOST_AUTO_TEST_CASE(float_repr_is_the_shortest_that_reads_back) {
    BOOST_TEST(python_float_repr(0.1) == "0.1");
    BOOST_TEST(python_float_repr(2.5) == "2.5");
    BOOST_TEST(python_float_repr(1e-05) == "1e-05");
    BOOST_TEST(python_float_repr(1e16) == "1e+16");
    BOOST_TEST(python_float_repr(123456789012345678.0) == "1.2345678901234568e+17");
    BOOST_TEST(python_float_repr(-0.0) == "-0.0");
    BOOST_TEST(python_float_repr(std::numeric_limits<double>::quiet_NaN()) == "nan");
    BOOST_TEST(python_float_repr(-std::numeric_limits<double>::infinity()) == "-inf");
}

BOOST_AUTO_TEST_CASE(append_python_repr_appends) {
    std::string out = "name=";
    append_python_repr(out, "x");
    append_python_repr(out, "y", Repr::bytes);
    BOOST_TEST(out == "name='x'b'y'");
}

BOOST_AUTO_TEST_SUITE_END()
