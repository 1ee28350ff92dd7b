// FacebookGraphMixin against fake Graph API endpoints: Tornado's test_facebook_login, a full
// round trip with extra fields, a signed POST, and failures.
#include <typhoon/auth/facebook_graph_mixin.hpp>

#include "auth_fixture.hpp"

using namespace auth_test;

namespace {

class FacebookClientHandler : public web::RequestHandler, public auth::FacebookGraphMixin {
public:
    using RequestHandler::RequestHandler;
    void initialize(AuthFixture& test) {
        test_ = &test;
        oauth_authorize_url = test.get_url("/facebook/server/authorize");
        oauth_access_token_url = test.get_url("/facebook/server/access_token");
        facebook_base_url = test.get_url("/facebook/server");
        auth_request_timeout = test.client_timeout;
    }
    httpclient::AsyncHTTPClient& get_auth_http_client() override { return test_->http_client(); }

protected:
    std::string setting(const char* name) {
        return std::string(settings().extra.at(name).as_string());
    }
    AuthFixture* test_ = nullptr;
};

class FacebookClientLoginHandler final : public FacebookClientHandler {
public:
    using FacebookClientHandler::FacebookClientHandler;
    awaitable<void> get() override {
        if (const auto code = get_argument("code", std::nullopt)) {
            std::vector<std::string> extra_fields;
            if (get_argument("with_email", std::nullopt)) extra_fields = {"email"};
            const auto user =
                co_await get_authenticated_user({.redirect_uri = request().full_url(),
                                                 .client_id = setting("facebook_api_key"),
                                                 .client_secret = setting("facebook_secret"),
                                                 .code = *code,
                                                 .extra_fields = extra_fields});
            if (!user) throw web::HTTPError(403);
            log_in(*this, *user);
            co_return;
        }
        authorize_redirect({.redirect_uri = request().full_url(),
                            .client_id = setting("facebook_api_key"),
                            .extra_params = {{"scope", "read_stream,offline_access"}}});
    }
};

class FacebookClientPostHandler final : public FacebookClientHandler {
public:
    using FacebookClientHandler::FacebookClientHandler;
    awaitable<void> get() override {
        const auto posted = co_await facebook_request(
            "/me/feed", {.access_token = "asdf", .post_args = auth::Params{{"message", "Hi!"}}});
        write(posted.as_object());
    }
};

struct FacebookTest : AuthFixture {
    std::vector<web::URLSpec> client_routes() override {
        auto& self = *this;
        return {web::url<FacebookClientLoginHandler>("/facebook/client/login", {}, std::ref(self)),
                web::url<FacebookClientPostHandler>("/facebook/client/post", {}, std::ref(self))};
    }
    web::Settings settings() override {
        return {.extra = {{"facebook_api_key", "test_facebook_api_key"},
                          {"facebook_secret", "test_facebook_secret"}}};
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(facebook_graph_mixin_test, FacebookTest)

BOOST_AUTO_TEST_CASE(facebook_login) {
    const auto first = step("/facebook/client/login");
    BOOST_TEST(first.code == 302);
    BOOST_TEST(first.headers.get("Location", "").find("/facebook/server/authorize?") !=
               std::string::npos);
    const auto response = fetch("/facebook/client/login?code=fake-authorization-code");
    BOOST_TEST_REQUIRE(response.code == 200, response.body);
    const auto user = escape::json_decode(response.body);
    BOOST_TEST(user.at("access_token") == "asdf");
    BOOST_TEST(user.at("session_expires") == "3600");
}

BOOST_AUTO_TEST_CASE(login_round_trip_returns_every_field_asked_for) {
    const auto response = browse("/facebook/client/login?with_email=1");
    BOOST_TEST_REQUIRE(response.code == 200, response.body);
    BOOST_TEST(escape::json_decode(response.body) ==
               json::parse(R"({"id": "1234", "name": "Foo Bar", "first_name": "Foo",
                   "last_name": null, "locale": null, "picture": null, "link": null,
                   "email": "foo@example.com", "access_token": "asdf",
                   "session_expires": "3600"})"));
    BOOST_TEST(escape::json_decode(browse("/whoami").body).at("id") == "1234");
}

BOOST_AUTO_TEST_CASE(facebook_request_posts_the_post_args) {
    const auto response = fetch("/facebook/client/post");
    BOOST_TEST_REQUIRE(response.code == 200, response.body);
    BOOST_TEST(escape::json_decode(response.body) ==
               json::parse(R"({"id": "post-1", "message": "Hi!"})"));
}

BOOST_AUTO_TEST_CASE(a_token_answer_without_access_token_is_an_auth_error) {
    misbehaviour = {"/facebook/server/access_token", Failure::missing_field};
    failed_login("/facebook/client/login", "Facebook token answer from " +
                                               get_url("/facebook/server/access_token") +
                                               " has no access_token");
}

BOOST_AUTO_TEST_CASE(a_me_answer_that_is_not_json_is_an_auth_error) {
    misbehaviour = {"/facebook/server/me", Failure::bad_json};
    failed_login("/facebook/client/login",
                 "Invalid JSON from GET " + get_url("/facebook/server/me") + ": ");
}

BOOST_AUTO_TEST_CASE(error_messages_leave_the_client_secret_out) {
    misbehaviour = {"/facebook/server/access_token", Failure::error_status};
    typhoon::log::LogCapture capture{{.logger = &typhoon::log::app_log}};
    BOOST_TEST(browse("/facebook/client/login").code == 500);
    BOOST_TEST_REQUIRE(capture.records().size() == 1u);
    const auto logged = capture.records().at(0).exception;
    BOOST_TEST(logged.find("HTTP 500") != std::string::npos);
    BOOST_TEST(logged.find("test_facebook_secret") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
