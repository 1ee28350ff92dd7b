#ifndef TYPHOON_AUTH_TEST_AUTH_FIXTURE_HPP
#define TYPHOON_AUTH_TEST_AUTH_FIXTURE_HPP

// Tornado's auth_test.py in C++: one Application serves the login handlers under test and fake
// OpenID, OAuth 1.0a, OAuth 2, Google, Facebook and Twitter providers, on one port of
// 127.0.0.1. The fakes check what a real provider checks (signatures, codes, secrets) and can be
// told to misbehave; Browser walks a login through its redirects carrying cookies, as a browser
// does.

#include <typhoon/auth.hpp>

#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/core/log_capture.hpp>
#include <typhoon/http/arguments.hpp>
#include <typhoon/http/url.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/web.hpp>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>

namespace auth_test {

using boost::asio::awaitable;
namespace auth = typhoon::auth;
namespace web = typhoon::web;
namespace json = boost::json;
namespace escape = typhoon::escape;
namespace httpclient = typhoon::httpclient;

/// How a fake provider endpoint misbehaves.
enum class Failure {
    none,
    error_status,   ///< answers 500 (OAuth 2 endpoints: 400 with an OAuth error object)
    bad_json,       ///< answers 200 with HTML
    missing_field,  ///< answers 200 without the token
    hang,           ///< answers only once `release` is set
};

struct AuthFixture;

/// The provider endpoint whose path is `path` fails as `failure`.
struct Misbehaviour {
    std::string path{};
    Failure failure = Failure::none;
};

// --- the fake providers -------------------------------------------------------------------------

/// Base of the fakes: misbehaves when told to, for its path.
class FakeEndpoint : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(AuthFixture& test) { test_ = &test; }

protected:
    /// True when the endpoint answered on its own (the handler then returns).
    awaitable<bool> misbehave(std::string_view token_body = {});
    /// `value` or a 400 naming what was wrong, as a careful provider answers.
    void require(bool condition, std::string_view what) {
        if (!condition) throw web::HTTPError(400, "fake provider: " + std::string(what));
    }
    /// Checks oauth_signature of this request with the consumer secret and `token_secret`.
    void require_signature(std::string_view token_secret, bool version_10a = true);

    AuthFixture* test_ = nullptr;
};

inline const auth::OAuthToken consumer = {.key = "asdf", .secret = "qwer"};
inline const auth::OAuthToken twitter_consumer = {.key = "test_twitter_consumer_key",
                                                  .secret = "test_twitter_consumer_secret"};

/// The authorization step every fake shares: the user "approves" and is sent back.
class FakeOpenIdServer final : public FakeEndpoint {
public:
    using FakeEndpoint::FakeEndpoint;
    /// checkid_setup: back to return_to with a positive assertion and the AX attributes.
    awaitable<void> get() override {
        require(get_argument("openid.mode") == "checkid_setup", "openid.mode");
        require(get_argument("openid.ns.ax", "") == "http://openid.net/srv/ax/1.0", "AX");
        require(get_argument("openid.ax.type.email", "") == "http://axschema.org/contact/email",
                "email attribute");
        redirect(typhoon::httputil::url_concat(
            get_argument("openid.return_to"),
            {{"openid.ns", "http://specs.openid.net/auth/2.0"},
             {"openid.mode", "id_res"},
             {"openid.claimed_id", "https://openid.example.com/id/foo"},
             {"openid.ns.ext1", "http://openid.net/srv/ax/1.0"},
             {"openid.ext1.type.email", "http://axschema.org/contact/email"},
             {"openid.ext1.value.email", "foo@example.com"},
             {"openid.ext1.type.first", "http://axschema.org/namePerson/first"},
             {"openid.ext1.value.first", "Foo"},
             {"openid.ext1.type.last", "http://axschema.org/namePerson/last"},
             {"openid.ext1.value.last", "Bar"},
             {"openid.ext1.type.lang", "http://axschema.org/pref/language"},
             {"openid.ext1.value.lang", "EN-us"},
             {"openid.signed",
              "mode,claimed_id,ns.ext1,ext1.type.email,ext1.value.email,ext1.type.first,"
              "ext1.value.first,ext1.type.last,ext1.value.last,ext1.type.lang,ext1.value.lang"},
             {"openid.sig", "good"}}));
        co_return;
    }
    /// check_authentication: valid only for the signature the server gave.
    awaitable<void> post() override {
        if (co_await misbehave()) co_return;
        require(get_argument("openid.mode") == "check_authentication", "openid.mode");
        write(get_argument("openid.sig", "") == "good" ? "ns:http://specs.openid.net/auth/2.0\n"
                                                         "is_valid:true\n"
                                                       : "is_valid:false\n");
    }
};

class FakeOAuth1RequestToken final : public FakeEndpoint {
public:
    using FakeEndpoint::FakeEndpoint;
    awaitable<void> get() override;
};

class FakeOAuth1Authorize final : public FakeEndpoint {
public:
    using FakeEndpoint::FakeEndpoint;
    awaitable<void> get() override;
};

class FakeOAuth1AccessToken final : public FakeEndpoint {
public:
    using FakeEndpoint::FakeEndpoint;
    awaitable<void> get() override;
};

class FakeTwitterApi final : public FakeEndpoint {
public:
    using FakeEndpoint::FakeEndpoint;
    awaitable<void> get() override;
    /// statuses/update: the form body is signed too.
    awaitable<void> post() override {
        require_signature("vbnm");
        write(json::object{{"text", get_body_argument("status")}});
        co_return;
    }
};

class FakeOAuth2Authorize final : public FakeEndpoint {
public:
    using FakeEndpoint::FakeEndpoint;
    awaitable<void> get() override {
        require(get_argument("response_type") == "code", "response_type");
        require(!get_argument("client_id").empty(), "client_id");
        require(!get_argument("client_secret", std::nullopt), "a secret in the browser's URL");
        const auto state = get_argument("state", std::nullopt);
        std::vector<std::pair<std::string, std::string>> back = {
            {"code", "fake-authorization-code"}};
        if (state) back.emplace_back("state", *state);
        redirect(typhoon::httputil::url_concat(get_argument("redirect_uri"), back));
        co_return;
    }
};

class FakeGoogleToken final : public FakeEndpoint {
public:
    using FakeEndpoint::FakeEndpoint;
    awaitable<void> post() override {
        if (co_await misbehave()) co_return;
        require(request().headers.get("Content-Type", "") == "application/x-www-form-urlencoded",
                "Content-Type");
        require(get_argument("grant_type") == "authorization_code", "grant_type");
        require(get_argument("client_id") == "fake_google_client_id", "client_id");
        require(get_argument("client_secret") == "fake_google_client_secret", "client_secret");
        if (get_argument("code") != "fake-authorization-code") {
            set_status(400);
            write(json::object{{"error", "invalid_grant"}, {"error_description", "Bad Request"}});
            co_return;
        }
        write(json::object{
            {"access_token", "fake-access-token"}, {"expires_in", 3599}, {"token_type", "Bearer"}});
    }
};

class FakeGoogleUserinfo final : public FakeEndpoint {
public:
    using FakeEndpoint::FakeEndpoint;
    awaitable<void> get() override {
        if (co_await misbehave()) co_return;
        if (get_argument("access_token", "") != "fake-access-token") throw web::HTTPError(401);
        write(json::object{{"name", "Foo"}, {"email", "foo@example.com"}});
    }
};

class FakeFacebookToken final : public FakeEndpoint {
public:
    using FakeEndpoint::FakeEndpoint;
    awaitable<void> get() override {
        if (co_await misbehave()) co_return;
        require(get_argument("client_id") == "test_facebook_api_key", "client_id");
        require(get_argument("client_secret") == "test_facebook_secret", "client_secret");
        require(get_argument("code") == "fake-authorization-code", "code");
        write(json::object{{"access_token", "asdf"}, {"expires_in", 3600}});
    }
};

class FakeFacebookMe final : public FakeEndpoint {
public:
    using FakeEndpoint::FakeEndpoint;
    awaitable<void> get() override {
        if (co_await misbehave()) co_return;
        require(get_argument("access_token") == "asdf", "access_token");
        // hmac.new(b"test_facebook_secret", b"asdf", hashlib.sha256).hexdigest()
        require(get_argument("appsecret_proof") ==
                    "c2c3dae916637d5799f4bdf4ab20b5cbf3291919187d34974097bc68bed57daf",
                "appsecret_proof");
        json::object me{{"id", "1234"}, {"name", "Foo Bar"}, {"first_name", "Foo"}};
        if (get_argument("fields").find("email") != std::string::npos)
            me["email"] = "foo@example.com";
        write(me);
    }
    awaitable<void> post() override {
        require(get_argument("access_token", "") == "asdf", "access_token");
        write(json::object{{"id", "post-1"}, {"message", get_body_argument("message")}});
        co_return;
    }
};

// --- the clients: handlers that use the mixins, as an application writes them -------------------

/// What a login handler does with the user: a signed cookie, and the user as JSON for the test.
inline void log_in(web::RequestHandler& handler, const json::object& user) {
    handler.set_signed_cookie("user", escape::json_encode(user));
    handler.write(user);
}

/// Fails the test step clearly: the handlers below write the AuthError's message with a 403,
/// as an application would show "login failed"; `tornado_style` handlers let it escape.
inline void refuse(web::RequestHandler& handler, const auth::AuthError& error) {
    typhoon::log::app_log.warning(std::string("Login failed: ") + error.what());
    handler.set_status(403);
    handler.finish(std::string("login failed: ") + error.what());
}

/// Shows the signed-in user: what a page protected by web::authenticated sees.
class WhoAmIHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    json::value get_current_user() override {
        const auto cookie = get_signed_cookie("user");
        if (!cookie) return nullptr;
        return escape::json_decode(*cookie);
    }
    awaitable<void> get() override {
        web::authenticated(*this);
        write(current_user().as_object());
        co_return;
    }
};

// --- the fixture --------------------------------------------------------------------------------

struct AuthFixture : typhoon::testing::AsyncHTTPTestCase {
    Misbehaviour misbehaviour{};
    /// Releases a hanging fake endpoint.
    typhoon::locks::Event release{};
    /// The auth_request_timeout the client handlers use.
    std::chrono::steady_clock::duration client_timeout = std::chrono::seconds(5);
    /// The oauth_callback the fake OAuth 1.0a server was given with the request token.
    std::string oauth1_callback{};

    web::Application get_app() override;
    /// The client handlers add their own routes (each test file its own mixin's).
    virtual std::vector<web::URLSpec> client_routes() = 0;
    virtual web::Settings settings() { return {}; }

    /// A browser: fetches `url` and follows its redirects, keeping cookies between steps.
    httpclient::HTTPResponse browse(std::string url, int max_steps = 10);
    /// One step without following redirects (cookies kept).
    httpclient::HTTPResponse step(const std::string& url);
    typhoon::testing::CookieJar jar{};
    std::map<std::string, std::string>& cookies = jar.cookies;
    /// The URLs the last browse() visited, in order.
    std::vector<std::string> visited{};

    /** Browses `url` expecting the login to fail as Tornado fails it: a 500 page, "Uncaught
        exception" logged with an AuthError whose message contains `message`, and no user cookie.
        Returns the response. */
    httpclient::HTTPResponse failed_login(const std::string& url, std::string_view message) {
        typhoon::log::LogCapture capture{{.logger = &typhoon::log::app_log}};
        auto response = browse(url);
        BOOST_TEST(response.code == 500);
        bool logged = false;
        std::string seen;
        for (const auto& record : capture.records()) {
            logged = logged || (record.message.starts_with("Uncaught exception") &&
                                record.exception.find("AuthError") != std::string::npos &&
                                record.exception.find(message) != std::string::npos);
            seen += "\n  " + record.message.substr(0, record.message.find('\n')) + " / " +
                    record.exception;
        }
        BOOST_TEST(logged, "no AuthError \"" << message << "\" logged; logged:" << seen);
        BOOST_TEST(!cookies.contains("user"));
        BOOST_TEST(step("/whoami").code == 302);  // still nobody logged in
        return response;
    }
};

// --- definitions that need the fixture ---------------------------------------------------------

inline awaitable<bool> FakeEndpoint::misbehave(std::string_view token_body) {
    if (test_->misbehaviour.path != request().path) co_return false;
    switch (test_->misbehaviour.failure) {
        case Failure::none:
            co_return false;
        case Failure::error_status:
            set_status(500);
            write("the provider broke");
            co_return true;
        case Failure::bad_json:
            write("<html><body>Service Unavailable</body></html>");
            co_return true;
        case Failure::missing_field:
            if (token_body.empty())
                write(json::object{{"token_type", "Bearer"}});
            else
                write(token_body);
            co_return true;
        case Failure::hang:
            co_await test_->release.wait();
            write("too late");
            co_return true;
    }
    co_return false;
}

inline void FakeEndpoint::require_signature(std::string_view token_secret, bool version_10a) {
    auth::OAuthParameters parameters;
    for (const auto& [name, values] : request().arguments)
        if (name != "oauth_signature" && !values.empty()) parameters[name] = values.back();
    const auto& consumer_token =
        get_argument("oauth_consumer_key") == consumer.key ? consumer : twitter_consumer;
    const auth::OAuthToken token{.secret = std::string(token_secret)};
    const auto url = request().protocol + "://" + request().host + request().path;
    const auto expected =
        version_10a
            ? auth::oauth10a_signature(consumer_token, request().method, url, parameters,
                                       token_secret.empty() ? std::nullopt : std::optional(token))
            : auth::oauth_signature(consumer_token, request().method, url, parameters,
                                    token_secret.empty() ? std::nullopt : std::optional(token));
    if (get_argument("oauth_signature") != expected)
        throw web::HTTPError(401, "fake provider: bad oauth_signature");
}

inline awaitable<void> FakeOAuth1RequestToken::get() {
    if (co_await misbehave("oauth_token=only")) co_return;
    require(get_argument("oauth_signature_method") == "HMAC-SHA1", "oauth_signature_method");
    require(get_argument("oauth_version") == "1.0", "oauth_version");
    require(get_argument("oauth_nonce").size() == 32, "oauth_nonce");
    require_signature("");
    test_->oauth1_callback = get_argument("oauth_callback", "");
    write("oauth_token=zxcv&oauth_token_secret=1234&oauth_callback_confirmed=true");
}

inline awaitable<void> FakeOAuth1Authorize::get() {
    require(get_argument("oauth_token") == "zxcv", "oauth_token");
    // OAuth 1.0a gives the callback with the request token; 1.0 on this URL.
    const auto callback = get_argument("oauth_callback", test_->oauth1_callback);
    require(!callback.empty(), "a callback");
    redirect(typhoon::httputil::url_concat(callback,
                                           {{"oauth_token", "zxcv"}, {"oauth_verifier", "v123"}}));
    co_return;
}

inline awaitable<void> FakeOAuth1AccessToken::get() {
    if (co_await misbehave("oauth_token=only")) co_return;
    require(get_argument("oauth_token") == "zxcv", "oauth_token");
    require_signature("1234");
    if (request().path.starts_with("/twitter/"))
        write("oauth_token=hjkl&oauth_token_secret=vbnm&screen_name=foo");
    else
        write("oauth_token=uiop&oauth_token_secret=5678");
}

inline awaitable<void> FakeTwitterApi::get() {
    if (co_await misbehave()) co_return;
    require(get_argument("oauth_token") == "hjkl", "oauth_token");
    require(get_argument("oauth_consumer_key") == twitter_consumer.key, "oauth_consumer_key");
    require_signature("vbnm");
    const auto& what = path_args().at(0);
    if (what == "account/verify_credentials") {
        write(json::object{{"screen_name", "foo"}, {"name", "Foo"}});
    } else if (what.starts_with("users/show/")) {
        auto name = what.substr(11);
        if (name == "error") throw web::HTTPError(500);
        auto capitalized = name;
        if (!capitalized.empty()) capitalized[0] = static_cast<char>(std::toupper(capitalized[0]));
        write(json::object{{"screen_name", name}, {"name", capitalized}});
    } else {
        throw web::HTTPError(404);
    }
}

inline web::Application AuthFixture::get_app() {
    auto routes = client_routes();
    auto& self = *this;
    routes.push_back(web::url<WhoAmIHandler>("/whoami"));
    routes.push_back(web::url<FakeOpenIdServer>("/openid/server/authenticate", {}, std::ref(self)));
    routes.push_back(
        web::url<FakeOAuth1RequestToken>("/oauth1/server/request_token", {}, std::ref(self)));
    routes.push_back(web::url<FakeOAuth1Authorize>("/oauth1/server/authorize", {}, std::ref(self)));
    routes.push_back(
        web::url<FakeOAuth1AccessToken>("/oauth1/server/access_token", {}, std::ref(self)));
    routes.push_back(
        web::url<FakeOAuth1Authorize>("/twitter/server/authenticate", {}, std::ref(self)));
    routes.push_back(
        web::url<FakeOAuth1AccessToken>("/twitter/server/access_token", {}, std::ref(self)));
    routes.push_back(web::url<FakeTwitterApi>(R"(/twitter/api/(.*)\.json)", {}, std::ref(self)));
    routes.push_back(web::url<FakeOAuth2Authorize>("/oauth2/server/authorize", {}, std::ref(self)));
    routes.push_back(web::url<FakeOAuth2Authorize>("/google/oauth2/authorize", {}, std::ref(self)));
    routes.push_back(
        web::url<FakeOAuth2Authorize>("/facebook/server/authorize", {}, std::ref(self)));
    routes.push_back(web::url<FakeGoogleToken>("/google/oauth2/token", {}, std::ref(self)));
    routes.push_back(web::url<FakeGoogleUserinfo>("/google/oauth2/userinfo", {}, std::ref(self)));
    routes.push_back(
        web::url<FakeFacebookToken>("/facebook/server/access_token", {}, std::ref(self)));
    routes.push_back(web::url<FakeFacebookMe>("/facebook/server/me", {}, std::ref(self)));
    routes.push_back(web::url<FakeFacebookMe>("/facebook/server/me/feed", {}, std::ref(self)));
    auto s = settings();
    s.cookie_secret = "auth test secret";
    s.login_url = "/login";
    return web::Application(std::move(routes), std::move(s));
}

inline httpclient::HTTPResponse AuthFixture::step(const std::string& url) {
    httpclient::HTTPRequest request{.follow_redirects = false};
    jar.prepare(request);
    auto response = fetch(url, std::move(request));
    jar.take(response);
    return response;
}

inline httpclient::HTTPResponse AuthFixture::browse(std::string url, int max_steps) {
    visited.clear();
    for (int i = 0; i < max_steps; ++i) {
        visited.push_back(url);
        auto response = step(url);
        if (response.code < 300 || response.code >= 400) return response;
        const auto location = response.headers.get("Location", "");
        url = location.starts_with("http") ? location : get_url(location);
    }
    BOOST_FAIL("more than " << max_steps << " redirects from " << visited.front());
    return {};
}

}  // namespace auth_test

#endif
