#include <typhoon/core/log_capture.hpp>

#include <boost/test/unit_test.hpp>

using namespace typhoon::log;

BOOST_AUTO_TEST_SUITE(log_capture_test)

BOOST_AUTO_TEST_CASE(captures_only_the_chosen_logger) {
    LogCapture everything;  // keeps the records this test lets through off stderr
    LogCapture general{{.logger = &gen_log}};
    gen_log.info("from general");
    app_log.info("from application");
    BOOST_TEST_REQUIRE(general.records().size() == 1u);
    BOOST_TEST(general.records()[0].message == "from general");
    BOOST_TEST(everything.contains("from application"));
    BOOST_TEST(!everything.contains("from general"));  // consumed by the newer capture
}

BOOST_AUTO_TEST_CASE(pass_through_lets_older_handlers_see_the_record) {
    LogCapture outer;
    {
        LogCapture inner{{.pass_through = true}};
        gen_log.warning("both see this");
        BOOST_TEST(inner.contains("both see this"));
    }
    BOOST_TEST(outer.contains("both see this"));
}

BOOST_AUTO_TEST_CASE(min_level_filters_what_is_captured) {
    LogCapture outer;
    LogCapture errors{{.min_level = Level::error}};
    gen_log.warning("a warning");
    gen_log.error("an error");
    BOOST_TEST(errors.records().size() == 1u);
    BOOST_TEST(errors.contains("an error"));
    BOOST_TEST(outer.contains("a warning"));
}

BOOST_AUTO_TEST_CASE(a_destroyed_capture_stops_capturing) {
    LogCapture outer;
    { LogCapture inner; }
    gen_log.info("after");
    BOOST_TEST(outer.contains("after"));
}

BOOST_AUTO_TEST_CASE(clear_forgets_what_was_captured) {
    LogCapture capture;
    gen_log.info("x");
    capture.clear();
    BOOST_TEST(capture.records().empty());
}

BOOST_AUTO_TEST_SUITE_END()
