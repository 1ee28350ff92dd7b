#include "hello_options.hpp"

#include "web_fixture.hpp"

#include <boost/test/unit_test.hpp>

BOOST_FIXTURE_TEST_SUITE(hello_options_test, web_test::AppFixture)

BOOST_AUTO_TEST_CASE(greets_with_hello_by_default) {
    serve(hello_options::make_app());
    BOOST_TEST(fetch("/").body == "Hello, friendly user!");
}

BOOST_AUTO_TEST_CASE(greeting_comes_from_the_query) {
    serve(hello_options::make_app());
    BOOST_TEST(fetch("/?greeting=Bonjour").body == "Bonjour, friendly user!");
}

BOOST_AUTO_TEST_SUITE_END()
