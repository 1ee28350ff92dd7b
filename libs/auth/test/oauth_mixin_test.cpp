// OAuthMixin (OAuth 1.0 and 1.0a) against a fake provider that checks every signature: Tornado's
// auth_test.py OAuth1 cases, full round trips, and the ways a login must fail.
#include <typhoon/auth/oauth_mixin.hpp>

#include "auth_fixture.hpp"

using namespace auth_test;

namespace {

class OAuth1ClientLoginHandler : public web::RequestHandler, public auth::OAuthMixin {
public:
    using RequestHandler::RequestHandler;
    void initialize(AuthFixture& test, const std::string& version) {
        test_ = &test;
        oauth_version = version;
        oauth_request_token_url = test.get_url("/oauth1/server/request_token");
        oauth_authorize_url = test.get_url("/oauth1/server/authorize");
        oauth_access_token_url = test.get_url("/oauth1/server/access_token");
        auth_request_timeout = test.client_timeout;
    }
    httpclient::AsyncHTTPClient& get_auth_http_client() override { return test_->http_client(); }

    awaitable<void> get() override {
        if (get_argument("oauth_token", std::nullopt)) {
            log_in(*this, co_await get_authenticated_user());
            co_return;
        }
        oauth_no_callbacks = get_argument("no_callbacks", std::nullopt).has_value();
        co_await authorize_redirect({.callback_uri = get_argument("callback", std::nullopt)});
    }

protected:
    auth::OAuthToken oauth_consumer_token() override { return consumer; }
    awaitable<json::object> oauth_get_user_future(const auth::OAuthToken& access_token) override {
        if (get_argument("fail_in_get_user", std::nullopt))
            throw std::runtime_error("failing in get_user");
        if (!(access_token == auth::OAuthToken{.key = "uiop", .secret = "5678"}))
            throw std::runtime_error("incorrect access token " + access_token.key);
        co_return json::object{{"email", "foo@example.com"}};
    }

    AuthFixture* test_ = nullptr;
};

/// Catches what get_authenticated_user throws, as Tornado's coroutine test does.
class OAuth1ClientLoginCoroutineHandler final : public OAuth1ClientLoginHandler {
public:
    using OAuth1ClientLoginHandler::OAuth1ClientLoginHandler;
    awaitable<void> get() override {
        if (!get_argument("oauth_token", std::nullopt)) {
            co_await authorize_redirect();
            co_return;
        }
        std::string failure;
        try {
            co_await get_authenticated_user();
        } catch (const std::exception& e) {
            failure = e.what();
        }
        set_status(503);
        write("got exception: " + failure);
    }
};

class OAuth1ClientRequestParametersHandler final : public web::RequestHandler,
                                                   public auth::OAuthMixin {
public:
    using RequestHandler::RequestHandler;
    void initialize(const std::string& version) { oauth_version = version; }
    awaitable<void> get() override {
        const auto params = oauth_request_parameters(
            "http://www.example.com/api/asdf", {.key = "uiop", .secret = "5678"}, {{"foo", "bar"}});
        json::object out;
        for (const auto& [name, value] : params)
            out[name] = value;
        write(out);
        co_return;
    }

protected:
    auth::OAuthToken oauth_consumer_token() override { return consumer; }
    awaitable<json::object> oauth_get_user_future(const auth::OAuthToken&) override {
        co_return json::object();
    }
};

struct OAuthTest : AuthFixture {
    std::vector<web::URLSpec> client_routes() override {
        auto& self = *this;
        return {
            web::url<OAuth1ClientLoginHandler>("/oauth10/client/login", {}, std::ref(self),
                                               std::string("1.0")),
            web::url<OAuth1ClientRequestParametersHandler>("/oauth10/client/request_params", {},
                                                           std::string("1.0")),
            web::url<OAuth1ClientLoginHandler>("/oauth10a/client/login", {}, std::ref(self),
                                               std::string("1.0a")),
            web::url<OAuth1ClientLoginCoroutineHandler>("/oauth10a/client/login_coroutine", {},
                                                        std::ref(self), std::string("1.0a")),
            web::url<OAuth1ClientRequestParametersHandler>("/oauth10a/client/request_params", {},
                                                           std::string("1.0a")),
        };
    }

    void check_redirect(const std::string& url) {
        const auto response = step(url);
        BOOST_TEST(response.code == 302);
        BOOST_TEST(response.headers.get("Location", "")
                       .ends_with("/oauth1/server/authorize?oauth_token=zxcv"));
        // the cookie is base64('zxcv')|base64('1234'), quoted as Python quotes it
        BOOST_TEST(response.headers.get("Set-Cookie", "")
                       .find("_oauth_request_token=\"enhjdg==|MTIzNA==\"") != std::string::npos);
    }

    void check_get_user(const std::string& url) {
        httpclient::HTTPRequest request;
        request.headers.add("Cookie", "_oauth_request_token=enhjdg==|MTIzNA==");
        const auto response = fetch(url + "?oauth_token=zxcv", std::move(request));
        BOOST_TEST_REQUIRE(response.code == 200, response.body);
        const auto user = escape::json_decode(response.body);
        BOOST_TEST(user.at("email") == "foo@example.com");
        BOOST_TEST(user.at("access_token") == json::parse(R"({"key": "uiop", "secret": "5678"})"));
    }

    void check_request_parameters(const std::string& url, bool version_10a) {
        const auto response = fetch(url);
        BOOST_TEST_REQUIRE(response.code == 200);
        const auto parsed = escape::json_decode(response.body).as_object();
        BOOST_TEST(parsed.at("oauth_consumer_key") == "asdf");
        BOOST_TEST(parsed.at("oauth_token") == "uiop");
        BOOST_TEST(parsed.at("oauth_nonce").as_string().size() == 32u);
        // The signature covers the OAuth parameters and the request's own (foo=bar).
        auth::OAuthParameters signed_args{{"foo", "bar"}};
        for (const auto& [name, value] : parsed)
            if (name != "oauth_signature") signed_args[name] = value.as_string();
        const auth::OAuthToken token{.key = "uiop", .secret = "5678"};
        const auto expected =
            version_10a
                ? auth::oauth10a_signature(consumer, "GET", "http://www.example.com/api/asdf",
                                           signed_args, token)
                : auth::oauth_signature(consumer, "GET", "http://www.example.com/api/asdf",
                                        signed_args, token);
        BOOST_TEST(parsed.at("oauth_signature").as_string() == expected);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(oauth_mixin_test, OAuthTest)

BOOST_AUTO_TEST_CASE(oauth10_redirect) {
    check_redirect("/oauth10/client/login");
}
BOOST_AUTO_TEST_CASE(oauth10a_redirect) {
    check_redirect("/oauth10a/client/login");
}
BOOST_AUTO_TEST_CASE(oauth10_get_user) {
    check_get_user("/oauth10/client/login");
}
BOOST_AUTO_TEST_CASE(oauth10a_get_user) {
    check_get_user("/oauth10a/client/login");
}

BOOST_AUTO_TEST_CASE(oauth10_request_parameters) {
    check_request_parameters("/oauth10/client/request_params", false);
}
BOOST_AUTO_TEST_CASE(oauth10a_request_parameters) {
    check_request_parameters("/oauth10a/client/request_params", true);
}

BOOST_AUTO_TEST_CASE(an_exception_in_get_user_reaches_the_handler) {
    httpclient::HTTPRequest request;
    request.headers.add("Cookie", "_oauth_request_token=enhjdg==|MTIzNA==");
    const auto response =
        fetch("/oauth10a/client/login_coroutine?oauth_token=zxcv&fail_in_get_user=true",
              std::move(request));
    BOOST_TEST(response.code == 503);
    BOOST_TEST(response.body == "got exception: failing in get_user");
}

BOOST_AUTO_TEST_CASE(oauth10a_login_round_trip) {
    const auto response = browse("/oauth10a/client/login?callback=/oauth10a/client/login");
    BOOST_TEST_REQUIRE(response.code == 200, response.body);
    // login → provider's authorize page → back with oauth_token and oauth_verifier
    BOOST_TEST(visited.size() == 3u);
    BOOST_TEST(visited.at(2).find("oauth_verifier=v123") != std::string::npos);
    BOOST_TEST(escape::json_decode(response.body).at("email") == "foo@example.com");
    BOOST_TEST(!cookies.contains("_oauth_request_token"));  // one use only
    BOOST_TEST(escape::json_decode(browse("/whoami").body).at("access_token").at("key") == "uiop");
}

BOOST_AUTO_TEST_CASE(oauth10_login_round_trip_sends_the_callback_to_the_authorize_page) {
    const auto first = step("/oauth10/client/login?callback=/oauth10/client/login");
    BOOST_TEST(first.headers.get("Location", "").find("&oauth_callback=http%3A%2F%2F127.0.0.1") !=
               std::string::npos);
    const auto response = browse("/oauth10/client/login?callback=/oauth10/client/login");
    BOOST_TEST_REQUIRE(response.code == 200, response.body);
    BOOST_TEST(escape::json_decode(response.body).at("email") == "foo@example.com");
}

BOOST_AUTO_TEST_CASE(a_missing_request_token_cookie_logs_nobody_in) {
    failed_login("/oauth10a/client/login?oauth_token=zxcv", "Missing OAuth request token cookie");
}

BOOST_AUTO_TEST_CASE(a_request_token_of_another_browser_logs_nobody_in) {
    // An attacker's token in the victim's callback: the cookie names the victim's own.
    cookies["_oauth_request_token"] = "\"ZXZpbA==|MTIzNA==\"";  // base64('evil')
    failed_login("/oauth10a/client/login?oauth_token=zxcv", "Request token does not match cookie");
    BOOST_TEST(!cookies.contains("_oauth_request_token"));
}

BOOST_AUTO_TEST_CASE(a_malformed_request_token_cookie_logs_nobody_in) {
    cookies["_oauth_request_token"] = "not-base64";
    failed_login("/oauth10a/client/login?oauth_token=zxcv", "Malformed OAuth request token cookie");
    cookies["_oauth_request_token"] = "\"enhjdg==|MTIzNA==|x\"";
    failed_login("/oauth10a/client/login?oauth_token=zxcv", "Malformed OAuth request token cookie");
}

BOOST_AUTO_TEST_CASE(a_request_token_error_is_a_500) {
    misbehaviour = {"/oauth1/server/request_token", Failure::error_status};
    failed_login("/oauth10a/client/login",
                 "Error response from GET " + get_url("/oauth1/server/request_token") +
                     ": HTTP 500: Internal Server Error (the provider broke)");
}

BOOST_AUTO_TEST_CASE(an_access_token_answer_without_a_secret_is_an_auth_error) {
    misbehaviour = {"/oauth1/server/access_token", Failure::missing_field};
    failed_login("/oauth10a/client/login?callback=/oauth10a/client/login",
                 "OAuth response has no oauth_token_secret");
}

BOOST_AUTO_TEST_CASE(a_provider_that_does_not_answer_times_out) {
    misbehaviour = {"/oauth1/server/access_token", Failure::hang};
    client_timeout = std::chrono::milliseconds(300);
    failed_login("/oauth10a/client/login?callback=/oauth10a/client/login", "Timeout");
    release.set();  // let the fake finish, so that the test leaves nothing running
}

BOOST_AUTO_TEST_CASE(an_out_of_band_callback_writes_the_authorize_url) {
    const auto response = step("/oauth10a/client/login?callback=oob");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == get_url("/oauth1/server/authorize?oauth_token=zxcv"));
    BOOST_TEST(cookies.at("_oauth_request_token") == "\"enhjdg==|MTIzNA==\"");
}

BOOST_AUTO_TEST_CASE(a_callback_for_a_provider_without_callbacks_is_refused) {
    typhoon::log::LogCapture capture{{.logger = &typhoon::log::app_log}};
    BOOST_TEST(step("/oauth10a/client/login?no_callbacks=1&callback=/x").code == 500);
    BOOST_TEST_REQUIRE(capture.records().size() == 1u);
    BOOST_TEST(capture.records().at(0).exception.find(
                   "This service does not support oauth_callback") != std::string::npos);
    BOOST_TEST(step("/oauth10a/client/login?no_callbacks=1").code == 302);  // none asked: fine
}

BOOST_AUTO_TEST_SUITE_END()
