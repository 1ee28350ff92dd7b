#include <typhoon/http/timestamp.hpp>

#include <boost/test/unit_test.hpp>

// Expected values were produced by Debian's python3-tornado 6.2 on the same inputs.
using std::chrono::system_clock;
using typhoon::httputil::format_timestamp;

BOOST_AUTO_TEST_SUITE(timestamp_test)

BOOST_AUTO_TEST_CASE(formats_an_http_date) {
    BOOST_TEST(format_timestamp(system_clock::from_time_t(1359312200)) ==
               "Sun, 27 Jan 2013 18:43:20 GMT");
    BOOST_TEST(format_timestamp(system_clock::from_time_t(0)) == "Thu, 01 Jan 1970 00:00:00 GMT");
}

BOOST_AUTO_TEST_CASE(drops_fractions_of_a_second) {
    const auto leap_day = system_clock::from_time_t(951782400) + std::chrono::milliseconds(900);
    BOOST_TEST(format_timestamp(leap_day) == "Tue, 29 Feb 2000 00:00:00 GMT");
}

BOOST_AUTO_TEST_SUITE_END()
