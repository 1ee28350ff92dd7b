// TwitterMixin against a fake Twitter whose every endpoint checks the OAuth 1.0a signature:
// Tornado's auth_test.py Twitter cases and full round trips through both redirects.
#include <typhoon/auth/twitter_mixin.hpp>

#include "auth_fixture.hpp"

using namespace auth_test;

namespace {

class TwitterClientHandler : public web::RequestHandler, public auth::TwitterMixin {
public:
    using RequestHandler::RequestHandler;
    void initialize(AuthFixture& test) {
        test_ = &test;
        oauth_request_token_url = test.get_url("/oauth1/server/request_token");
        oauth_access_token_url = test.get_url("/twitter/server/access_token");
        oauth_authorize_url = test.get_url("/oauth1/server/authorize");
        oauth_authenticate_url = test.get_url("/twitter/server/authenticate");
        twitter_base_url = test.get_url("/twitter/api");
        auth_request_timeout = test.client_timeout;
    }
    httpclient::AsyncHTTPClient& get_auth_http_client() override { return test_->http_client(); }

protected:
    AuthFixture* test_ = nullptr;
};

class TwitterClientLoginHandler final : public TwitterClientHandler {
public:
    using TwitterClientHandler::TwitterClientHandler;
    awaitable<void> get() override {
        if (get_argument("oauth_token", std::nullopt)) {
            log_in(*this, co_await get_authenticated_user());
            co_return;
        }
        co_await authorize_redirect({.callback_uri = get_argument("callback", std::nullopt)});
    }
};

class TwitterClientAuthenticateHandler final : public TwitterClientHandler {
public:
    using TwitterClientHandler::TwitterClientHandler;
    awaitable<void> get() override {
        if (get_argument("oauth_token", std::nullopt)) {
            log_in(*this, co_await get_authenticated_user());
            co_return;
        }
        co_await authenticate_redirect(get_argument("callback", std::nullopt));
    }
};

class TwitterClientShowUserHandler final : public TwitterClientHandler {
public:
    using TwitterClientHandler::TwitterClientHandler;
    awaitable<void> get() override {
        std::optional<json::value> user;
        try {
            user = co_await twitter_request("/users/show/" + get_argument("name"),
                                            auth::OAuthToken{.key = "hjkl", .secret = "vbnm"});
        } catch (const auth::AuthError&) {
        }
        if (!user) {
            set_status(500);
            finish("error from twitter request");
            co_return;
        }
        finish(escape::json_encode(*user));
    }
};

class TwitterClientUpdateHandler final : public TwitterClientHandler {
public:
    using TwitterClientHandler::TwitterClientHandler;
    awaitable<void> get() override {
        const auto posted = co_await twitter_request(
            "/statuses/update", auth::OAuthToken{.key = "hjkl", .secret = "vbnm"},
            {.post_args = auth::Params{{"status", "Hello, Ladies & Gentlemen!"}},
             .args = {{"trim_user", "true"}}});
        write(posted.as_object());
    }
};

struct TwitterTest : AuthFixture {
    std::vector<web::URLSpec> client_routes() override {
        auto& self = *this;
        return {
            web::url<TwitterClientLoginHandler>("/twitter/client/login", {}, std::ref(self)),
            web::url<TwitterClientAuthenticateHandler>("/twitter/client/authenticate", {},
                                                       std::ref(self)),
            web::url<TwitterClientShowUserHandler>("/twitter/client/show_user", {}, std::ref(self)),
            web::url<TwitterClientUpdateHandler>("/twitter/client/update", {}, std::ref(self)),
        };
    }
    web::Settings settings() override {
        return {.extra = {{"twitter_consumer_key", "test_twitter_consumer_key"},
                          {"twitter_consumer_secret", "test_twitter_consumer_secret"}}};
    }

    void check_redirect(const std::string& url, const std::string& ending) {
        const auto response = step(url);
        BOOST_TEST(response.code == 302);
        BOOST_TEST(response.headers.get("Location", "").ends_with(ending),
                   response.headers.get("Location", ""));
        BOOST_TEST(response.headers.get("Set-Cookie", "")
                       .find("_oauth_request_token=\"enhjdg==|MTIzNA==\"") != std::string::npos);
    }
};

const json::value expected_user = json::parse(R"({
    "access_token": {"key": "hjkl", "screen_name": "foo", "secret": "vbnm"},
    "name": "Foo", "screen_name": "foo", "username": "foo"})");

}  // namespace

BOOST_FIXTURE_TEST_SUITE(twitter_mixin_test, TwitterTest)

BOOST_AUTO_TEST_CASE(twitter_redirect) {
    check_redirect("/twitter/client/login", "/oauth1/server/authorize?oauth_token=zxcv");
}

BOOST_AUTO_TEST_CASE(twitter_authenticate_redirect) {
    check_redirect("/twitter/client/authenticate", "/twitter/server/authenticate?oauth_token=zxcv");
}

BOOST_AUTO_TEST_CASE(twitter_get_user) {
    httpclient::HTTPRequest request;
    request.headers.add("Cookie", "_oauth_request_token=enhjdg==|MTIzNA==");
    const auto response = fetch("/twitter/client/login?oauth_token=zxcv", std::move(request));
    BOOST_TEST_REQUIRE(response.code == 200, response.body);
    BOOST_TEST(escape::json_decode(response.body) == expected_user);
}

BOOST_AUTO_TEST_CASE(login_round_trips_through_authorize_and_authenticate) {
    for (const std::string path : {"/twitter/client/login", "/twitter/client/authenticate"}) {
        cookies.clear();
        const auto response = browse(path + "?callback=" + path);
        BOOST_TEST_REQUIRE(response.code == 200, response.body);
        BOOST_TEST(escape::json_decode(response.body) == expected_user);
        BOOST_TEST(escape::json_decode(browse("/whoami").body).at("username") == "foo");
    }
}

BOOST_AUTO_TEST_CASE(twitter_show_user) {
    const auto response = fetch("/twitter/client/show_user?name=somebody");
    BOOST_TEST_REQUIRE(response.code == 200, response.body);
    BOOST_TEST(escape::json_decode(response.body) ==
               json::parse(R"({"name": "Somebody", "screen_name": "somebody"})"));
}

BOOST_AUTO_TEST_CASE(twitter_show_user_error) {
    const auto response = fetch("/twitter/client/show_user?name=error");
    BOOST_TEST(response.code == 500);
    BOOST_TEST(response.body == "error from twitter request");
}

BOOST_AUTO_TEST_CASE(twitter_request_signs_post_bodies) {
    const auto response = fetch("/twitter/client/update");
    BOOST_TEST_REQUIRE(response.code == 200, response.body);
    BOOST_TEST(escape::json_decode(response.body).at("text") == "Hello, Ladies & Gentlemen!");
}

BOOST_AUTO_TEST_CASE(a_verify_credentials_failure_logs_nobody_in) {
    misbehaviour = {"/twitter/api/account/verify_credentials.json", Failure::error_status};
    failed_login(
        "/twitter/client/login?callback=/twitter/client/login",
        "Error response from GET " + get_url("/twitter/api/account/verify_credentials.json"));
}

BOOST_AUTO_TEST_SUITE_END()
