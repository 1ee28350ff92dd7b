// web::authenticated through real HTTP requests; the Location headers are those Debian's
// python3-tornado 6.2 sends for @tornado.web.authenticated on the same requests.
#include <typhoon/web/authenticated.hpp>

#include <typhoon/web.hpp>

#include <typhoon/core/log_capture.hpp>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace web_test;
namespace json = boost::json;

namespace {

class PrivateHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    json::value get_current_user() override {
        const auto user = request().headers.get("X-User");
        if (!user) return nullptr;
        if (*user == "zero") return 0;
        return json::string(*user);
    }
    awaitable<void> get() override {
        web::authenticated(*this);
        write("hello " + std::string(current_user().as_string()));
        co_return;
    }
    awaitable<void> head() override {
        web::authenticated(*this);
        co_return;
    }
    awaitable<void> post() override {
        web::authenticated(*this);
        write("posted");
        co_return;
    }
};

/// Serves /private with `login_url`, which a derived fixture may change before setup().
struct AuthFixture : testing::AsyncHTTPTestCase {
    std::string login_url = "/login";
    web::Application get_app() override {
        return web::Application({web::url<PrivateHandler>("/private")}, {.login_url = login_url});
    }
};
struct AbsoluteLoginUrl : AuthFixture {
    AbsoluteLoginUrl() { login_url = "https://auth.example/login"; }
};
struct LoginUrlWithQuery : AuthFixture {
    LoginUrlWithQuery() { login_url = "/login?from=app"; }
};
struct NoLoginUrl : AuthFixture {
    NoLoginUrl() { login_url = ""; }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(authenticated_test, AuthFixture)

BOOST_AUTO_TEST_CASE(logged_in_users_get_the_page) {
    const auto response = fetch("/private", {.headers = headers({{"X-User", "ada"}})});
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "hello ada");
}

BOOST_AUTO_TEST_CASE(get_without_a_user_redirects_with_next_as_the_uri) {
    const auto response = fetch("/private?x=1&y=a%20b", {.follow_redirects = false});
    BOOST_TEST(response.code == 302);
    // Tornado: /login?next=%2Fauth%3Fx%3D1%26y%3Da%2520b for the same query on /auth.
    BOOST_TEST(response.headers.get("Location", "") ==
               "/login?next=%2Fprivate%3Fx%3D1%26y%3Da%2520b");
    BOOST_TEST(response.body.empty());
}

BOOST_AUTO_TEST_CASE(an_empty_user_is_no_user) {
    const auto as_user = [&](std::string_view user) {
        return fetch("/private",
                     {.headers = headers({{"X-User", user}}), .follow_redirects = false});
    };
    BOOST_TEST(as_user("").code == 302);
    BOOST_TEST(as_user("zero").code == 302);
}

BOOST_AUTO_TEST_CASE(head_redirects_too) {
    const auto response = fetch("/private", {.method = "HEAD", .follow_redirects = false});
    BOOST_TEST(response.code == 302);
    BOOST_TEST(response.headers.get("Location", "") == "/login?next=%2Fprivate");
}

BOOST_FIXTURE_TEST_CASE(an_absolute_login_url_gets_the_full_url_as_next, AbsoluteLoginUrl) {
    const auto response = fetch("/private?x=1", {.follow_redirects = false});
    BOOST_TEST(response.headers.get("Location", "") ==
               "https://auth.example/login?next=http%3A%2F%2F127.0.0.1%3A" +
                   std::to_string(get_http_port()) + "%2Fprivate%3Fx%3D1");
}

BOOST_FIXTURE_TEST_CASE(a_login_url_with_a_query_is_used_as_it_is, LoginUrlWithQuery) {
    BOOST_TEST(fetch("/private", {.follow_redirects = false}).headers.get("Location", "") ==
               "/login?from=app");
}

BOOST_AUTO_TEST_CASE(other_methods_are_forbidden) {
    const auto response = fetch("/private", {.method = "POST", .body = ""});
    BOOST_TEST(response.code == 403);
    BOOST_TEST(!response.headers.contains("Location"));
}

BOOST_FIXTURE_TEST_CASE(no_login_url_is_a_500, NoLoginUrl) {
    testing::ExpectLog expected{log::app_log, "^Uncaught exception GET /private "};
    BOOST_TEST(fetch("/private").code == 500);
    BOOST_TEST(fetch("/private", {.method = "POST", .body = ""}).code == 403);
}

BOOST_AUTO_TEST_SUITE_END()
