#include "hello.hpp"

#include "web_fixture.hpp"

#include <typhoon/core/log_capture.hpp>

#include <boost/test/unit_test.hpp>

BOOST_FIXTURE_TEST_SUITE(hello_test, web_test::AppFixture)

BOOST_AUTO_TEST_CASE(says_hello_world) {
    serve(hello::make_app());
    const auto response = fetch("/");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "Hello, world");
    BOOST_TEST(response.headers.get("Content-Type", "") == "text/html; charset=UTF-8");
}

BOOST_AUTO_TEST_CASE(other_paths_are_404) {
    serve(hello::make_app());
    typhoon::log::LogCapture quiet{{.logger = &typhoon::log::access_log}};
    BOOST_TEST(fetch("/nope").code == 404);
}

BOOST_AUTO_TEST_SUITE_END()
