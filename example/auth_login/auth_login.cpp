#include "auth_login.hpp"

#include <typhoon/auth.hpp>
#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/database.hpp>
#include <typhoon/redis.hpp>
#include <typhoon/session/database_store.hpp>
#include <typhoon/session/redis_store.hpp>

#include <random>

namespace auth_login {

namespace auth = typhoon::auth;
namespace web = typhoon::web;
namespace json = boost::json;
namespace escape = typhoon::escape;
using boost::asio::awaitable;

namespace {

/// The user is the JSON in the signed "user" cookie, as in Tornado's demo, or the "user" of
/// the session when the application has a session store.
class BaseHandler : public web::RequestHandler, public typhoon::session::SessionMixin {
public:
    using RequestHandler::RequestHandler;
    void initialize(const AuthLoginOptions& options) { options_ = &options; }

    typhoon::session::SessionStore& session_store() override {
        if (!options_->sessions) throw typhoon::Error("auth_login runs without sessions");
        return *options_->sessions;
    }
    // Loading a session is asynchronous, get_current_user() is not: load it here.
    awaitable<void> prepare() override {
        if (!options_->sessions) co_return;
        typhoon::session::Session& session = co_await this->session();
        auto user = session.get("user");
        set_current_user(user ? std::move(*user) : json::value(nullptr));
    }

    json::value get_current_user() override {
        if (options_->sessions) return nullptr;  // prepare() set it
        const auto cookie = get_signed_cookie("user");
        if (!cookie) return nullptr;
        try {
            return escape::json_decode(*cookie);
        } catch (const escape::JSONDecodeError&) {
            return nullptr;  // signed by us, so only an older format of ours: sign in again
        }
    }

protected:
    bool fake() const { return options_->provider == "fake"; }
    /// This server's URL for `path`: OAuth 2 needs absolute redirect URIs.
    std::string site_url(const std::string& path) const {
        return request().protocol + "://" + request().host + path;
    }

    /** A fresh `state` for the authorization request, remembered in a signed cookie: the
        callback must bring it back, so that nobody can complete a sign-in they did not start
        in this browser (RFC 6749 §10.12). */
    std::string new_state() {
        static std::random_device device;
        static constexpr char hex[] = "0123456789abcdef";
        std::string state;
        for (int i = 0; i < 32; ++i)
            state += hex[device() % 16];
        set_signed_cookie("oauth_state", state, {.expires_days = std::nullopt, .httponly = true});
        return state;
    }
    /// @throws auth::AuthError when the callback's state is not the one this browser was given.
    void check_state() {
        const auto expected = get_signed_cookie("oauth_state", {.max_age_days = 1});
        clear_cookie("oauth_state");
        if (!expected || get_argument("state", "") != *expected)
            throw auth::AuthError("OAuth state does not match: a forged or stale sign-in");
    }

    /** Remembers where the browser goes once signed in: the `next` argument the login page
        passed on, kept in a signed cookie across the provider's round trip. Only a path of this
        site (web::local_redirect_target): a `next` of "//host", "/\\host" or a URL becomes "/",
        or a link to the login page would send a freshly signed-in user to another site. */
    void remember_next() {
        set_signed_cookie("next", web::local_redirect_target(get_argument("next", "/")),
                          {.expires_days = std::nullopt, .httponly = true});
    }
    awaitable<void> sign_in(json::object user) {
        if (options_->sessions) {
            co_await regenerate_session();  // no id planted before the sign-in survives it
            typhoon::session::Session& session = co_await this->session();
            session.set("user", std::move(user));
            co_await save_session();
        } else {
            set_signed_cookie("user", escape::json_encode(user), {.httponly = true});
        }
        const auto next = get_signed_cookie("next", {.max_age_days = 1});
        clear_cookie("next");
        redirect(web::local_redirect_target(next.value_or("/")));
    }
    /// The page for a sign-in that failed: logged, a 403, and nobody signed in.
    awaitable<void> sign_in_failed(std::string why) {
        typhoon::log::app_log.warning("Sign-in failed: " + why);
        if (options_->sessions) {
            typhoon::session::Session& session = co_await this->session();
            session.erase("user");
            co_await save_session();
        } else {
            clear_cookie("user");
        }
        set_status(403);
        finish("<html><title>Sign-in failed</title><body><p>Sign-in failed: " +
               escape::xhtml_escape(why) +
               "</p><p><a href=\"/login\">Try again</a></p></body></html>");
    }

    const AuthLoginOptions* options_ = nullptr;
};

class MainHandler final : public BaseHandler {
public:
    using BaseHandler::BaseHandler;
    awaitable<void> get() override {
        web::authenticated(*this);
        const auto& user = current_user().as_object();
        write("<html><title>Signed in</title><body><p>Hello, <b>" +
              escape::xhtml_escape(user.at("name").as_string()) + "</b>! You signed in with " +
              escape::xhtml_escape(user.at("provider").as_string()) +
              ".</p><p><a href=\"/logout\">Sign out</a></p></body></html>");
        co_return;
    }
};

class LoginPageHandler final : public BaseHandler {
public:
    using BaseHandler::BaseHandler;
    awaitable<void> get() override {
        // The providers' handlers keep `next` for after the round trip; only a local one.
        const std::string next = escape::xhtml_escape(
            escape::url_escape(web::local_redirect_target(get_argument("next", "/"))));
        write("<html><title>Sign in</title><body><p><a id=\"google\" href=\"/auth/google?next=" +
              next + "\">Sign in with Google</a></p><p><a id=\"github\" href=\"/auth/github?next=" +
              next + "\">Sign in with GitHub</a></p></body></html>");
        co_return;
    }
};

class LogoutHandler final : public BaseHandler {
public:
    using BaseHandler::BaseHandler;
    awaitable<void> get() override {
        if (options_->sessions)
            co_await destroy_session();
        else
            clear_cookie("user");
        redirect("/login");
    }
};

/// Tornado's GoogleOAuth2LoginHandler.
class GoogleLoginHandler final : public BaseHandler, public auth::GoogleOAuth2Mixin {
public:
    using BaseHandler::BaseHandler;
    void initialize(const AuthLoginOptions& options) {
        BaseHandler::initialize(options);
        if (fake()) {
            const auto base = site_url("/fake/google");
            oauth_authorize_url = base + "/authorize";
            oauth_access_token_url = base + "/token";
            oauth_userinfo_url = base + "/user";
        }
    }

    awaitable<void> get() override {
        const auto redirect_uri = site_url("/auth/google");
        if (const auto error = get_argument("error", std::nullopt)) {
            co_await sign_in_failed("Google said " + *error);
            co_return;
        }
        const auto code = get_argument("code", std::nullopt);
        if (!code) {
            remember_next();
            authorize_redirect(
                {.redirect_uri = redirect_uri,
                 .client_id = google_client_id(),
                 .extra_params = {{"approval_prompt", "auto"}, {"state", new_state()}},
                 .scope = {"profile", "email"},
                 .response_type = "code"});
            co_return;
        }
        std::optional<std::string> failure;
        try {
            check_state();
            const auto access = co_await get_authenticated_user(redirect_uri, *code);
            const std::string token(access.at("access_token").as_string());
            const auto user = co_await oauth2_request(oauth_userinfo_url, {.access_token = token});
            const auto* name = user.is_object() ? user.as_object().if_contains("name") : nullptr;
            if (!name || !name->is_string()) throw auth::AuthError("Google's user has no name");
            co_await sign_in(
                {{"name", *name},
                 {"email", user.as_object().contains("email") ? user.at("email") : nullptr},
                 {"provider", "Google"}});
        } catch (const auth::AuthError& error) {
            failure = error.what();
        }
        if (failure) co_await sign_in_failed(*failure);
    }
};

/** GitHub's OAuth 2 web flow with the plain OAuth2Mixin: the code exchange asks for JSON
    (GitHub answers with a form otherwise) and the user is fetched with a Bearer header. */
class GitHubLoginHandler final : public BaseHandler, public auth::OAuth2Mixin {
public:
    using BaseHandler::BaseHandler;
    void initialize(const AuthLoginOptions& options) {
        BaseHandler::initialize(options);
        const auto base = fake() ? site_url("/fake/github") : std::string();
        oauth_authorize_url =
            fake() ? base + "/authorize" : "https://github.com/login/oauth/authorize";
        oauth_access_token_url =
            fake() ? base + "/token" : "https://github.com/login/oauth/access_token";
        user_url_ = fake() ? base + "/user" : "https://api.github.com/user";
        client_id_ = fake() ? "fake-github-client-id" : options.github_key;
        client_secret_ = fake() ? "fake-github-client-secret" : options.github_secret;
    }

    awaitable<void> get() override {
        const auto redirect_uri = site_url("/auth/github");
        if (const auto error = get_argument("error", std::nullopt)) {
            co_await sign_in_failed("GitHub said " + *error);
            co_return;
        }
        const auto code = get_argument("code", std::nullopt);
        if (!code) {
            remember_next();
            authorize_redirect({.redirect_uri = redirect_uri,
                                .client_id = client_id_,
                                .extra_params = {{"state", new_state()}},
                                .scope = {"read:user"}});
            co_return;
        }
        std::optional<std::string> failure;
        try {
            check_state();
            typhoon::httpclient::HTTPRequest exchange{
                .method = "POST",
                .body = "client_id=" + escape::url_escape(client_id_) + "&client_secret=" +
                        escape::url_escape(client_secret_) + "&code=" + escape::url_escape(*code) +
                        "&redirect_uri=" + escape::url_escape(redirect_uri)};
            exchange.headers.add("Accept", "application/json");
            const auto answer =
                decode_json(co_await auth_fetch(oauth_access_token_url, std::move(exchange)));
            const auto* token =
                answer.is_object() ? answer.as_object().if_contains("access_token") : nullptr;
            if (!token || !token->is_string())
                throw auth::AuthError("GitHub's token answer has no access_token");
            typhoon::httpclient::HTTPRequest profile;
            profile.headers.add("Authorization", "Bearer " + std::string(token->as_string()));
            profile.headers.add("Accept", "application/json");
            const auto user = decode_json(co_await auth_fetch(user_url_, std::move(profile)));
            const auto* login = user.is_object() ? user.as_object().if_contains("login") : nullptr;
            if (!login || !login->is_string()) throw auth::AuthError("GitHub's user has no login");
            const auto* name = user.as_object().if_contains("name");
            co_await sign_in({{"name", name && name->is_string() ? *name : *login},
                              {"login", *login},
                              {"provider", "GitHub"}});
        } catch (const auth::AuthError& error) {
            failure = error.what();
        }
        if (failure) co_await sign_in_failed(*failure);
    }

private:
    std::string user_url_, client_id_, client_secret_;
};

}  // namespace

struct SessionBackend::Connections {
    std::optional<typhoon::redis::Client> redis;
    std::optional<typhoon::database::Connection> db;
};

SessionBackend::SessionBackend(std::string_view url)
    : connections_(std::make_unique<Connections>()) {
    namespace session = typhoon::session;
    if (url == "memory://") {
        store_ = std::make_unique<session::MemoryStore>();
    } else if (url.starts_with("redis://") || url.starts_with("unix://")) {
        store_ = std::make_unique<session::RedisStore>(connections_->redis.emplace(url));
    } else if (url.starts_with("sqlite://") || url.starts_with("mysql://") ||
               url.starts_with("mariadb://")) {
        store_ = std::make_unique<session::DatabaseStore>(connections_->db.emplace(url));
    } else {
        throw typhoon::Error("--sessions must be memory://, redis://... or sqlite:///..., not '" +
                             std::string(url) + "'");
    }
}

SessionBackend::~SessionBackend() = default;

void SessionBackend::close() noexcept {
    if (connections_->redis) connections_->redis->close();
    if (connections_->db) connections_->db->close();
}

web::Application make_app(const AuthLoginOptions& options, FakeProviders& fakes) {
    if (options.provider != "fake" && options.provider != "real")
        throw typhoon::Error("--provider must be 'fake' or 'real', not '" + options.provider + "'");
    const bool fake = options.provider == "fake";
    std::vector<web::URLSpec> routes = {
        web::url<MainHandler>("/", {}, std::cref(options)),
        web::url<LoginPageHandler>("/login", {}, std::cref(options)),
        web::url<LogoutHandler>("/logout", {}, std::cref(options)),
        web::url<GoogleLoginHandler>("/auth/google", {}, std::cref(options)),
        web::url<GitHubLoginHandler>("/auth/github", {}, std::cref(options)),
    };
    if (fake) {
        for (auto* provider : {&fakes.google, &fakes.github})
            for (auto& route : fake_provider_routes(*provider))
                routes.push_back(std::move(route));
    }
    json::object google_oauth{
        {"key", fake ? fakes.google.client_id() : options.google_key},
        {"secret", fake ? fakes.google.client_secret() : options.google_secret}};
    return web::Application(std::move(routes), {.cookie_secret = options.cookie_secret,
                                                .login_url = "/login",
                                                .extra = {{"google_oauth", google_oauth}}});
}

}  // namespace auth_login
