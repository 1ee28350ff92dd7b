#include <typhoon/options/option_value.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace typhoon::options;
using namespace std::chrono_literals;
using std::chrono::microseconds;

namespace {
DateTime at(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
    using namespace std::chrono;
    return DateTime(local_days(year{y} / month{m} / day{d}).time_since_epoch() + hours{hh} +
                    minutes{mm} + seconds{ss});
}
}  // namespace

// Expected values are what Debian's python3-tornado 6.2 (Python 3.11) gives for the same text.
BOOST_AUTO_TEST_SUITE(option_value_test)

BOOST_AUTO_TEST_CASE(int_accepts_what_python_int_accepts) {
    BOOST_TEST(parse_int("42") == 42);
    BOOST_TEST(parse_int(" -7 ") == -7);
    BOOST_TEST(parse_int("+7") == 7);
    BOOST_TEST(parse_int("1_000") == 1000);
    BOOST_TEST(parse_int("08") == 8);
    BOOST_TEST(parse_int("-9223372036854775808") == INT64_MIN);
    for (const char* bad : {"", "abc", "0x10", "1.5", "1__0", "_1", "1_", "1e3", "- 1"})
        BOOST_CHECK_THROW(parse_int(bad), ValueError);
    BOOST_CHECK_EXCEPTION(parse_int("abc"), ValueError, [](const ValueError& e) {
        return std::string(e.what()) == "expected an integer";
    });
    BOOST_CHECK_EXCEPTION(parse_int("9223372036854775808"), ValueError, [](const ValueError& e) {
        return std::string(e.what()) == "integer out of range";
    });
}

BOOST_AUTO_TEST_CASE(float_accepts_what_python_float_accepts) {
    BOOST_TEST(parse_float("1e3") == 1000.0);
    BOOST_TEST(parse_float(" .5") == 0.5);
    BOOST_TEST(parse_float("5.") == 5.0);
    BOOST_TEST(parse_float("1_0.5") == 10.5);
    BOOST_TEST(std::isinf(parse_float("-Infinity")));
    BOOST_TEST(std::isnan(parse_float("nan")));
    BOOST_TEST(std::isinf(parse_float("1e400")));  // Python overflows to inf too
    for (const char* bad : {"", ".", "abc", "0x10", "1e", "1._5", "1.5.2"})
        BOOST_CHECK_THROW(parse_float(bad), ValueError);
}

BOOST_AUTO_TEST_CASE(bool_is_false_only_for_false_0_and_f) {
    for (const char* no : {"false", "FALSE", "0", "f", "F"})
        BOOST_TEST(!parse_bool(no));
    for (const char* yes : {"true", "1", "yes", "no", "", "off"})
        BOOST_TEST(parse_bool(yes));  // Tornado's rule
}

BOOST_AUTO_TEST_CASE(timedelta_sums_number_unit_terms) {
    BOOST_TEST(parse_timedelta("45s").count() == microseconds(45s).count());
    BOOST_TEST(parse_timedelta("1h 30m").count() == microseconds(90min).count());
    BOOST_TEST(parse_timedelta("2d").count() == microseconds(48h).count());
    BOOST_TEST(parse_timedelta(" 3 min ").count() == microseconds(3min).count());
    BOOST_TEST(parse_timedelta("5 weeks 3 days").count() == microseconds(38 * 24h).count());
    BOOST_TEST(parse_timedelta("1.5").count() == 1'500'000);  // no unit: seconds
    BOOST_TEST(parse_timedelta("1e3ms").count() == 1'000'000);
    BOOST_TEST(parse_timedelta("-1.5s").count() == -1'500'000);
    BOOST_TEST(parse_timedelta("").count() == 0);
}

BOOST_AUTO_TEST_CASE(timedelta_rounds_fractions_of_a_microsecond_half_to_even) {
    BOOST_TEST(parse_timedelta("1.5us").count() == 2);
    BOOST_TEST(parse_timedelta("0.0000025").count() == 2);
    BOOST_TEST(parse_timedelta("0.0000015").count() == 2);
    BOOST_TEST(parse_timedelta("2.5us").count() == 2);
}

BOOST_AUTO_TEST_CASE(timedelta_units_must_be_separated_as_in_tornado) {
    // "1h30m" reads as 1 of the unit "h30m": Tornado raises TypeError for it.
    BOOST_CHECK_EXCEPTION(parse_timedelta("1h30m"), ValueError, [](const ValueError& e) {
        return std::string(e.what()) == "unknown unit 'h30m'";
    });
    BOOST_CHECK_THROW(parse_timedelta("1H"), ValueError);  // units are case-sensitive
    BOOST_CHECK_THROW(parse_timedelta("1 2"), ValueError);
    BOOST_CHECK_THROW(parse_timedelta("s"), ValueError);
    BOOST_CHECK_THROW(parse_timedelta("1e300d"), ValueError);
}

BOOST_AUTO_TEST_CASE(datetime_tries_tornados_formats_in_order) {
    BOOST_TEST((parse_datetime("2023-01-15") == at(2023, 1, 15)));
    BOOST_TEST((parse_datetime("20230115") == at(2023, 1, 15)));
    BOOST_TEST((parse_datetime("2023-01-15 10:30:59") == at(2023, 1, 15, 10, 30, 59)));
    BOOST_TEST((parse_datetime("2023-01-15T10:30") == at(2023, 1, 15, 10, 30)));
    BOOST_TEST(
        (parse_datetime("2023-01-15t10:30") == at(2023, 1, 15, 10, 30)));  // strptime ignores case
    BOOST_TEST((parse_datetime("20231231 23:59") == at(2023, 12, 31, 23, 59)));
    BOOST_TEST((parse_datetime("Mon Jan  5 10:00:00 2023") == at(2023, 1, 5, 10)));
    BOOST_TEST((parse_datetime("mon JAN 05 1:2:3 2023") == at(2023, 1, 5, 1, 2, 3)));
    BOOST_TEST((parse_datetime("12:30") == at(1900, 1, 1, 12, 30)));  // no date: 1900-01-01
}

BOOST_AUTO_TEST_CASE(datetime_digits_are_split_as_pythons_regex_backtracks) {
    BOOST_TEST((parse_datetime("2023111") == at(2023, 11, 1)));  // %m takes "11" first
    BOOST_TEST((parse_datetime("2023131") == at(2023, 1, 31)));
}

BOOST_AUTO_TEST_CASE(impossible_dates_are_unrecognized) {
    for (const char* bad :
         {"2023-02-30", "0000-01-01", "23:59:60", "2023-01-15 10:30:00 x", "yesterday", ""})
        BOOST_CHECK_EXCEPTION(parse_datetime(bad), ValueError, [](const ValueError& e) {
            return std::string(e.what()) == "unrecognized date/time format";
        });
    BOOST_TEST((parse_datetime("2024-02-29") == at(2024, 2, 29)));
}

BOOST_AUTO_TEST_CASE(spec_describes_the_cpp_type) {
    BOOST_TEST((spec_of<int>().kind == Kind::integer));
    BOOST_TEST(spec_of<std::int8_t>().max == 127);
    BOOST_TEST(spec_of<unsigned>().min == 0);
    BOOST_TEST(spec_of<std::vector<std::string>>().multiple);
    BOOST_TEST((spec_of<std::chrono::seconds>().kind == Kind::duration));
    BOOST_TEST(spec_of<std::chrono::seconds>().tick_num == 1'000'000);
    BOOST_TEST((spec_of<std::chrono::sys_seconds>().kind == Kind::datetime));
    BOOST_TEST(type_name(Kind::duration) == "timedelta");
}

BOOST_AUTO_TEST_SUITE_END()
