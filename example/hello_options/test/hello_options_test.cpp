#include "hello_options.hpp"

#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

namespace {
struct HelloOptionsTest : typhoon::testing::AsyncHTTPTestCase {
    typhoon::web::Application get_app() override { return hello_options::make_app(); }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(hello_options_test, HelloOptionsTest)

BOOST_AUTO_TEST_CASE(greets_with_hello_by_default) {
    BOOST_TEST(fetch("/").body == "Hello, friendly user!");
}

BOOST_AUTO_TEST_CASE(greeting_comes_from_the_query) {
    BOOST_TEST(fetch("/?greeting=Bonjour").body == "Bonjour, friendly user!");
}

BOOST_AUTO_TEST_SUITE_END()
