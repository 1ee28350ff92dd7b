#include <typhoon/testing/expect_log.hpp>

#include <typhoon/core/log_capture.hpp>

#include <boost/test/unit_test.hpp>

using namespace typhoon;
namespace utf = boost::unit_test;

BOOST_AUTO_TEST_SUITE(expect_log_test)

BOOST_AUTO_TEST_CASE(swallows_matching_records_and_lets_others_through) {
    log::LogCapture seen;  // older than the ExpectLog: sees what it does not swallow
    {
        testing::ExpectLog expected{log::gen_log, "Missing argument \\w+"};
        log::gen_log.warning("400 GET /greet: Missing argument name");
        log::gen_log.warning("something else");
        log::app_log.warning("Missing argument on another logger");
        BOOST_TEST(expected.matched() == 1);
    }
    BOOST_TEST(!seen.contains("Missing argument name"));
    BOOST_TEST(seen.contains("something else"));
    BOOST_TEST(seen.contains("Missing argument on another logger"));
}

BOOST_AUTO_TEST_CASE(level_narrows_what_matches) {
    log::LogCapture seen;
    testing::ExpectLog expected{log::gen_log, "disk", {.level = log::Level::error}};
    log::gen_log.warning("disk almost full");
    log::gen_log.error("disk full");
    BOOST_TEST(expected.matched() == 1);
    BOOST_TEST(seen.contains("disk almost full"));
}

BOOST_AUTO_TEST_CASE(a_required_record_that_never_came_fails_the_test, *utf::expected_failures(1)) {
    testing::ExpectLog expected{log::gen_log, "never logged"};
}

BOOST_AUTO_TEST_CASE(an_optional_record_may_not_come) {
    testing::ExpectLog expected{log::gen_log, "never logged", {.required = false}};
    BOOST_TEST(expected.matched() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
