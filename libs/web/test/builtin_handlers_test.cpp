#include <typhoon/web/builtin_handlers.hpp>

#include <typhoon/web.hpp>

#include <typhoon/core/log_capture.hpp>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace web_test;

namespace {

awaitable<void> legacy_app(httputil::HTTPServerRequest& request,
                           httputil::HTTPConnection& connection) {
    const std::string body = "legacy saw " + request.path;
    httputil::HTTPHeaders headers;
    headers.add("Content-Length", std::to_string(body.size()));
    co_await connection.write_headers({"HTTP/1.1", 202, "Accepted"}, std::move(headers), body);
    co_await connection.finish();
}

struct BuiltinFixture : testing::AsyncHTTPTestCase {
    web::Application get_app() override {
        return web::Application({
            web::url<web::RedirectHandler>("/old/([0-9]+)", {}, "/new/{0}"),
            web::url<web::RedirectHandler>(R"(/user/(?P<name>\w+))", {}, "/people/{name}", false),
            web::url<web::RedirectHandler>("/see-other", {}, "/there", false, 303),
            web::url<web::ErrorHandler>("/gone", {}, 410),
            web::url<web::FallbackHandler>("/legacy/.*", {},
                                           httpserver::RequestCallback(legacy_app)),
        });
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(builtin_handlers_test, BuiltinFixture)

BOOST_AUTO_TEST_CASE(redirect_handler_is_permanent_and_substitutes_groups) {
    const auto response = fetch("/old/42", {.follow_redirects = false});
    BOOST_TEST(response.code == 301);
    BOOST_TEST(response.headers.get("Location", "") == "/new/42");
}

BOOST_AUTO_TEST_CASE(redirect_handler_keeps_the_query_and_names_groups) {
    const auto response = fetch("/user/ada?tab=posts", {.follow_redirects = false});
    BOOST_TEST(response.code == 302);
    BOOST_TEST(response.headers.get("Location", "") == "/people/ada?tab=posts");
}

BOOST_AUTO_TEST_CASE(redirect_handler_uses_an_explicit_status) {
    BOOST_TEST(fetch("/see-other", {.follow_redirects = false}).code == 303);
}

BOOST_AUTO_TEST_CASE(error_handler_answers_its_status_for_every_method) {
    testing::ExpectLog expected{log::access_log, "^410 (GET|POST) /gone "};
    BOOST_TEST(fetch("/gone").code == 410);
    BOOST_TEST(fetch("/gone", {.method = "POST", .body = ""}).code == 410);
    BOOST_TEST(expected.matched() == 2);
}

BOOST_AUTO_TEST_CASE(fallback_handler_hands_the_request_to_a_bare_http_callback) {
    const auto response = fetch("/legacy/page");
    BOOST_TEST(response.code == 202);
    BOOST_TEST(response.body == "legacy saw /legacy/page");
    BOOST_TEST(!response.headers.contains("Server"));  // nothing of the web layer's was added
}

BOOST_AUTO_TEST_SUITE_END()
