#include "hello.hpp"

#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

namespace {
struct HelloTest : typhoon::testing::AsyncHTTPTestCase {
    typhoon::web::Application get_app() override { return hello::make_app(); }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(hello_test, HelloTest)

BOOST_AUTO_TEST_CASE(says_hello_world) {
    const auto response = fetch("/");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "Hello, world");
    BOOST_TEST(response.headers.get("Content-Type", "") == "text/html; charset=UTF-8");
}

TYPHOON_GEN_TEST(other_paths_are_404) {
    typhoon::testing::ExpectLog not_found{typhoon::log::access_log, "404 GET /nope"};
    const auto response = co_await http_client().fetch(get_url("/nope"), {.raise_error = false});
    BOOST_TEST(response.code == 404);
}

BOOST_AUTO_TEST_SUITE_END()
