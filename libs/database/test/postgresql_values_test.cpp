#include "postgresql_values.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

namespace {
using typhoon::database::detail::postgresql_value;
namespace json = boost::json;
constexpr Oid int4_array = 1007, text_array = 1009, bytea = 17, timestamptz = 1184;

std::string nested(int depth, const std::string& inner) {
    return std::string(static_cast<std::size_t>(depth), '{') + inner +
           std::string(static_cast<std::size_t>(depth), '}');
}
}  // namespace

BOOST_AUTO_TEST_SUITE(postgresql_values_test)

BOOST_AUTO_TEST_CASE(arrays_become_json_arrays_of_their_elements) {
    BOOST_TEST(postgresql_value(int4_array, "{1,NULL,{2,3}}") == json::parse("[1,null,[2,3]]"));
    BOOST_TEST(postgresql_value(text_array, R"({"a b","c\"d",e})") ==
               json::parse(R"(["a b","c\"d","e"])"));
    BOOST_TEST(postgresql_value(int4_array, "[0:1]={7,8}") == json::parse("[7,8]"));
}

BOOST_AUTO_TEST_CASE(six_dimensions_are_read_and_deeper_text_stays_text) {
    // PostgreSQL's arrays stop at 6 dimensions (MAXDIM); what nests deeper is not read by
    // recursion at all, however deep it goes.
    BOOST_TEST(postgresql_value(int4_array, nested(6, "1")) == json::parse("[[[[[[1]]]]]]"));
    const auto deep = nested(100000, "1");
    BOOST_TEST(postgresql_value(int4_array, deep) == json::value(json::string(deep)));
}

BOOST_AUTO_TEST_CASE(bytea_and_timestamps_as_python_reads_them) {
    BOOST_TEST(postgresql_value(bytea, "\\x00ff41") == json::value(json::string("\x00\xff"
                                                                                "A",
                                                                                3)));
    BOOST_TEST(postgresql_value(timestamptz, "2024-05-01 12:30:00+02") ==
               json::value("2024-05-01T12:30:00+02:00"));
}

BOOST_AUTO_TEST_SUITE_END()
