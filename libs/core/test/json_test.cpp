#include <typhoon/core/json.hpp>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>

// Expected values were produced by Debian's python3-tornado 6.2 on the same inputs.
using namespace typhoon::escape;
namespace bj = boost::json;

BOOST_AUTO_TEST_SUITE(json_test)

BOOST_AUTO_TEST_CASE(json_encode_uses_pythons_separators) {
    const bj::value v = {{"a", bj::array{1, 2.5, nullptr, true}}};
    BOOST_TEST(json_encode(v) == R"({"a": [1, 2.5, null, true]})");
    BOOST_TEST(json_encode(bj::array{}) == "[]");
    BOOST_TEST(json_encode(bj::object{}) == "{}");
    BOOST_TEST(json_encode(bj::value{{"k", bj::object{}}}) == R"({"k": {}})");
}

BOOST_AUTO_TEST_CASE(an_object_encodes_as_the_same_object_in_a_value_does) {
    const bj::object o{{"message", "Hello, </World>"}, {"n", bj::array{1, bj::object{}}}};
    BOOST_TEST(json_encode(o) == json_encode(bj::value(o)));
    BOOST_TEST(json_encode(o) == R"({"message": "Hello, <\/World>", "n": [1, {}]})");
    BOOST_TEST(json_encode({{"braced", true}}) == R"({"braced": true})");  // still a value
}

BOOST_AUTO_TEST_CASE(json_decode_reads_numbers_correctly_rounded_as_python_does) {
    // Boost.JSON 1.81 alone reads these one unit in the last place off.
    for (const char* text : {"8.88888888888889e+85", "8.888888888888889e+85", "0.1", "1e23",
                             "2.2250738585072014e-308", "123456789012345678901234567890"}) {
        const auto value = json_decode(text);
        BOOST_TEST_REQUIRE(value.is_double(), text);
        BOOST_TEST(value.get_double() == std::strtod(text, nullptr), text);
    }
    BOOST_TEST(json_encode(json_decode("[8.88888888888889e+85]")) == "[8.88888888888889e+85]");
    // Integers stay integers; a number split by nothing else still reads whole.
    BOOST_TEST(json_decode("[-7, 18446744073709551615]").as_array()[1].is_uint64());
    BOOST_TEST(json_decode("{\"a\": 1.5}").as_object().at("a").as_double() == 1.5);
}

BOOST_AUTO_TEST_CASE(json_encode_keeps_member_order) {
    bj::object o;
    o["z"] = 1;
    o["a"] = 2;
    BOOST_TEST(json_encode(o) == R"({"z": 1, "a": 2})");
}

BOOST_AUTO_TEST_CASE(json_encode_escapes_closing_tags) {
    BOOST_TEST(json_encode(bj::value("</script>")) == R"("<\/script>")");
    BOOST_TEST(json_encode(bj::value{{"</k>", "a</b"}}) == R"({"<\/k>": "a<\/b"})");
}

BOOST_AUTO_TEST_CASE(json_encode_writes_non_ascii_as_python_does) {
    BOOST_TEST(json_encode(bj::value("é€😀\x01\x7f")) ==
               R"("\u00e9\u20ac\ud83d\ude00\u0001\u007f")");
    BOOST_TEST(json_encode(bj::value("a\"b\\c\n\t\r\b\f")) == R"("a\"b\\c\n\t\r\b\f")");
    BOOST_TEST(json_encode(bj::value("bad \xff byte")) == R"("bad \ufffd byte")");
}

BOOST_AUTO_TEST_CASE(json_encode_writes_floats_as_python_repr) {
    BOOST_TEST(json_encode(1e16) == "1e+16");
    BOOST_TEST(json_encode(1e15) == "1000000000000000.0");
    BOOST_TEST(json_encode(0.0001) == "0.0001");
    BOOST_TEST(json_encode(1e-05) == "1e-05");
    BOOST_TEST(json_encode(-0.0) == "-0.0");
    BOOST_TEST(json_encode(1.5e300) == "1.5e+300");
    BOOST_TEST(json_encode(123456789.125) == "123456789.125");
    BOOST_TEST(json_encode(3.0) == "3.0");
    BOOST_TEST(json_encode(0.1) == "0.1");
    BOOST_TEST(json_encode(1.0 / 3) == "0.3333333333333333");
    BOOST_TEST(json_encode(std::numeric_limits<double>::infinity()) == "Infinity");
    BOOST_TEST(json_encode(-std::numeric_limits<double>::infinity()) == "-Infinity");
    BOOST_TEST(json_encode(std::nan("")) == "NaN");
}

BOOST_AUTO_TEST_CASE(json_encode_writes_64_bit_integers_exactly) {
    BOOST_TEST(json_encode(bj::value(std::uint64_t{9223372036854775808u})) ==
               "9223372036854775808");
    BOOST_TEST(json_encode(bj::value(std::numeric_limits<std::int64_t>::min())) ==
               "-9223372036854775808");
}

BOOST_AUTO_TEST_CASE(json_decode_round_trips_json_encode) {
    const bj::value v = {{"name", "Zoë"}, {"list", bj::array{1, -2, 3.5, false, nullptr}}};
    BOOST_TEST(json_decode(json_encode(v)) == v);
    BOOST_TEST(json_decode("  7  ") == bj::value(7));
}

BOOST_AUTO_TEST_CASE(json_decode_keeps_the_last_of_duplicate_keys) {
    BOOST_TEST(json_decode(R"({"a":1,"a":2})").at("a") == bj::value(2));
}

namespace {
JSONDecodeError decode_error(std::string_view text) {
    try {
        json_decode(text);
    } catch (const JSONDecodeError& e) {
        return e;
    }
    BOOST_FAIL("no JSONDecodeError for " << text);
    throw;
}
}  // namespace

BOOST_AUTO_TEST_CASE(json_decode_errors_name_the_position_as_python_does) {
    // Python: "Expecting value: line 1 column 1 (char 0)" and so on; the reason wording is ours.
    BOOST_TEST(decode_error("").position() == 0u);
    BOOST_TEST(decode_error("[1, 2,]").position() == 6u);
    BOOST_TEST(decode_error("1 2").position() == 2u);
    const auto e = decode_error("{\"a\"\n: tru}");
    BOOST_TEST(e.line() == 2u);
    BOOST_TEST(e.column() == 3u);
    BOOST_TEST(std::string(e.what()).find("line 2 column 3 (char 7)") != std::string::npos);
    BOOST_TEST(decode_error("{\"a\": 1").position() == 7u);
}

BOOST_AUTO_TEST_CASE(json_decode_is_a_typhoon_error) {
    BOOST_CHECK_THROW(json_decode("{"), typhoon::Error);
    BOOST_CHECK_THROW(json_decode(std::string(10000, '[')), JSONDecodeError);  // too deep
}

BOOST_AUTO_TEST_SUITE_END()
