#include <typhoon/testing/async_http_test_case.hpp>

#include <typhoon/testing/expect_log.hpp>
#include <typhoon/web.hpp>

#include <typhoon/http/http_client_error.hpp>

using namespace typhoon;
using testing::awaitable;

namespace {

class Greet final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write("Hello, " + get_argument("name") + " over " + request().protocol);
        co_return;
    }
    awaitable<void> post() override {
        write("posted " + request().body);
        co_return;
    }
};

struct GreetTest : testing::AsyncHTTPTestCase {
    int apps_made = 0;
    web::Application get_app() override {
        ++apps_made;
        return web::Application({web::url<Greet>("/greet")});
    }
};

struct GreetHTTPSTest : testing::AsyncHTTPSTestCase {
    web::Application get_app() override { return web::Application({web::url<Greet>("/greet")}); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(async_http_test_case_test, GreetTest)

BOOST_AUTO_TEST_CASE(fetch_runs_the_loop_until_the_response) {
    BOOST_TEST(apps_made == 1);
    const auto response = fetch("/greet?name=Ada");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "Hello, Ada over http");
    BOOST_TEST(get_url("/x") == "http://127.0.0.1:" + std::to_string(get_http_port()) + "/x");
}

BOOST_AUTO_TEST_CASE(non_2xx_is_returned_not_thrown) {
    testing::ExpectLog expected{log::gen_log, "Missing argument name"};
    BOOST_TEST(fetch("/greet").code == 400);
    BOOST_TEST(fetch("/nowhere").code == 404);
}

BOOST_AUTO_TEST_CASE(raise_error_throws_for_non_2xx) {
    testing::ExpectLog expected{log::gen_log, "Missing argument name"};
    BOOST_CHECK_THROW(fetch("/greet", {}, true), httpclient::HTTPClientError);
}

BOOST_AUTO_TEST_CASE(fetch_takes_request_options) {
    BOOST_TEST(fetch("/greet", {.method = "POST", .body = "a=1"}).body == "posted a=1");
}

TYPHOON_GEN_TEST(coroutine_tests_use_http_client) {
    const auto response = co_await http_client().fetch(get_url("/greet?name=Grace"));
    BOOST_TEST(response.body == "Hello, Grace over http");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(async_https_test_case_test, GreetHTTPSTest)

BOOST_AUTO_TEST_CASE(https_with_a_certificate_the_client_checks) {
    BOOST_TEST(get_url("/").starts_with("https://localhost:"));
    const auto response = fetch("/greet?name=Ada");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "Hello, Ada over https");
}

BOOST_AUTO_TEST_SUITE_END()
