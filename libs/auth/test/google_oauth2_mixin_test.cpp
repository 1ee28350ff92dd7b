// GoogleOAuth2Mixin (and OAuth2Mixin under it) against fake Google endpoints: Tornado's
// GoogleOAuth2Test, the redirect's parameters, and the ways the code exchange can fail.
#include <typhoon/auth/google_oauth2_mixin.hpp>

#include "auth_fixture.hpp"

using namespace auth_test;

namespace {

class GoogleLoginHandler final : public web::RequestHandler, public auth::GoogleOAuth2Mixin {
public:
    using RequestHandler::RequestHandler;
    void initialize(AuthFixture& test, const std::string& settings_key) {
        test_ = &test;
        redirect_uri_ = test.get_url("/client/login");
        oauth_authorize_url = test.get_url("/google/oauth2/authorize");
        oauth_access_token_url = test.get_url("/google/oauth2/token");
        oauth_userinfo_url = test.get_url("/google/oauth2/userinfo");
        oauth_settings_key = settings_key;
        auth_request_timeout = test.client_timeout;
    }
    httpclient::AsyncHTTPClient& get_auth_http_client() override { return test_->http_client(); }

    awaitable<void> get() override {
        if (const auto code = get_argument("code", std::nullopt)) {
            const auto access = co_await get_authenticated_user(redirect_uri_, *code);
            const std::string token(access.at("access_token").as_string());
            auto user =
                (co_await oauth2_request(oauth_userinfo_url, {.access_token = token})).as_object();
            user["access_token"] = token;
            log_in(*this, user);
            co_return;
        }
        authorize_redirect({.redirect_uri = redirect_uri_,
                            .client_id = google_client_id(),
                            .client_secret = google_client_secret(),
                            .extra_params = {{"prompt", "select_account"}},
                            .scope = {"profile", "email"},
                            .response_type = "code"});
    }

private:
    AuthFixture* test_ = nullptr;
    std::string redirect_uri_;
};

/// The plain OAuth2Mixin, as in Tornado's OAuth2ClientLoginHandler.
class OAuth2ClientLoginHandler final : public web::RequestHandler, public auth::OAuth2Mixin {
public:
    using RequestHandler::RequestHandler;
    void initialize(AuthFixture& test) {
        oauth_authorize_url = test.get_url("/oauth2/server/authorize");
    }
    awaitable<void> get() override {
        authorize_redirect();
        co_return;
    }
};

// The guide's handler (doc/guide/08-security.md shows this region), tested below.
// guide:begin google_login
class GoogleOAuth2LoginHandler final : public web::RequestHandler, public auth::GoogleOAuth2Mixin {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        const std::string redirect_uri = "http://your.site.com/auth/google";
        if (const auto code = get_argument("code", std::nullopt)) {
            const auto access = co_await get_authenticated_user(redirect_uri, *code);
            const auto user = co_await oauth2_request(
                oauth_userinfo_url,
                {.access_token = std::string(access.at("access_token").as_string())});
            set_signed_cookie("user", escape::json_encode(user));
            redirect("/");
        } else {
            authorize_redirect({.redirect_uri = redirect_uri,
                                .client_id = google_client_id(),
                                .extra_params = {{"approval_prompt", "auto"}},
                                .scope = {"profile", "email"},
                                .response_type = "code"});
        }
    }
};
// guide:end google_login

struct GoogleOAuth2Test : AuthFixture {
    std::vector<web::URLSpec> client_routes() override {
        auto& self = *this;
        return {
            web::url<GoogleLoginHandler>("/client/login", {}, std::ref(self),
                                         std::string("google_oauth")),
            web::url<GoogleLoginHandler>("/client/unconfigured", {}, std::ref(self),
                                         std::string("no_such_setting")),
            web::url<OAuth2ClientLoginHandler>("/oauth2/client/login", {}, std::ref(self)),
            web::url<GoogleOAuth2LoginHandler>("/auth/google"),
        };
    }
    web::Settings settings() override {
        return {.extra = {
                    {"google_oauth",
                     {{"key", "fake_google_client_id"}, {"secret", "fake_google_client_secret"}}}}};
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(google_oauth2_mixin_test, GoogleOAuth2Test)

BOOST_AUTO_TEST_CASE(oauth2_redirect) {
    const auto response = step("/oauth2/client/login");
    BOOST_TEST(response.code == 302);
    BOOST_TEST(response.headers.get("Location", "") ==
               get_url("/oauth2/server/authorize?response_type=code"));
}

BOOST_AUTO_TEST_CASE(google_login) {
    const auto response = browse("/client/login");
    BOOST_TEST_REQUIRE(response.code == 200, response.body);
    BOOST_TEST(escape::json_decode(response.body) ==
               json::parse(R"({"name": "Foo", "email": "foo@example.com",
                               "access_token": "fake-access-token"})"));
    BOOST_TEST(visited.size() == 3u);  // login → Google's consent page → login?code=...
    BOOST_TEST(escape::json_decode(browse("/whoami").body).at("email") == "foo@example.com");
}

BOOST_AUTO_TEST_CASE(the_redirect_carries_client_id_scope_and_extra_params_but_no_secret) {
    const auto location = step("/client/login").headers.get("Location", "");
    BOOST_TEST(location == get_url("/google/oauth2/authorize") +
                               "?response_type=code&redirect_uri=" +
                               escape::url_escape(get_url("/client/login")) +
                               "&client_id=fake_google_client_id&prompt=select_account"
                               "&scope=profile+email");
}

BOOST_AUTO_TEST_CASE(a_code_google_refuses_is_an_auth_error_with_googles_reason) {
    failed_login("/client/login?code=stolen", "Google OAuth error from " +
                                                  get_url("/google/oauth2/token") +
                                                  ": invalid_grant (Bad Request)");
}

BOOST_AUTO_TEST_CASE(a_token_answer_that_is_not_json_is_an_auth_error) {
    misbehaviour = {"/google/oauth2/token", Failure::bad_json};
    failed_login("/client/login", "Invalid JSON from POST " + get_url("/google/oauth2/token"));
}

BOOST_AUTO_TEST_CASE(a_token_answer_without_access_token_is_an_auth_error) {
    misbehaviour = {"/google/oauth2/token", Failure::missing_field};
    failed_login("/client/login", "has no access_token");
}

BOOST_AUTO_TEST_CASE(a_userinfo_error_is_an_auth_error) {
    misbehaviour = {"/google/oauth2/userinfo", Failure::error_status};
    failed_login("/client/login", "Error response from GET " + get_url("/google/oauth2/userinfo") +
                                      ": HTTP 500: Internal Server Error");
}

BOOST_AUTO_TEST_CASE(a_token_endpoint_that_hangs_times_out) {
    misbehaviour = {"/google/oauth2/token", Failure::hang};
    client_timeout = std::chrono::milliseconds(300);
    failed_login("/client/login", "Timeout");
    release.set();
}

BOOST_AUTO_TEST_CASE(a_missing_google_oauth_setting_is_named) {
    typhoon::log::LogCapture capture{{.logger = &typhoon::log::app_log}};
    BOOST_TEST(step("/client/unconfigured").code == 500);
    BOOST_TEST_REQUIRE(capture.records().size() == 1u);
    BOOST_TEST(capture.records().at(0).exception.find(
                   "You must define the 'no_such_setting' setting") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_guides_handler_sends_the_user_to_google) {
    const auto response = step("/auth/google");
    BOOST_TEST(response.code == 302);
    BOOST_TEST(response.headers.get("Location", "") ==
               "https://accounts.google.com/o/oauth2/v2/auth?response_type=code"
               "&redirect_uri=http%3A%2F%2Fyour.site.com%2Fauth%2Fgoogle"
               "&client_id=fake_google_client_id&approval_prompt=auto&scope=profile+email");
}

BOOST_AUTO_TEST_SUITE_END()
