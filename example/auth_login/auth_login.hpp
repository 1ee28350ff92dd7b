#ifndef AUTH_LOGIN_AUTH_LOGIN_HPP
#define AUTH_LOGIN_AUTH_LOGIN_HPP

// "Sign in with Google" and a GitHub-style OAuth 2 sign-in, as Tornado's google_auth demo does
// it: the login handlers mix GoogleOAuth2Mixin and OAuth2Mixin into RequestHandler, the signed-in
// user lives in a signed cookie (or, with --sessions, in a server-side session), and "/" is
// protected by web::authenticated.

#include "fake_provider.hpp"

#include <typhoon/session.hpp>
#include <typhoon/web.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace auth_login {

struct AuthLoginOptions {
    /// "fake": the providers are the fakes this application serves under /fake/ (offline);
    /// "real": accounts.google.com and github.com, with the keys below.
    std::string provider = "fake";
    /// Signs the user cookie; use a long random secret of your own.
    std::string cookie_secret = "auth_login demo secret: change me";
    /// OAuth client credentials from the Google and GitHub consoles (provider "real" only).
    std::string google_key{};
    std::string google_secret{};
    std::string github_key{};
    std::string github_secret{};
    /// Where the signed-in user is kept: null for a signed cookie, as Tornado's demo does; a
    /// store (see SessionBackend) for a server-side session. It must outlive the application.
    typhoon::session::SessionStore* sessions = nullptr;
};

/** The store --sessions names, with what it talks to: `memory://`, `redis://host:port/db`,
    `sqlite:///relative.db` or `sqlite:////absolute.db` (and `mysql://...`). Make it on the loop
    that serves the application. @throws typhoon::Error for another URL. */
class SessionBackend {
public:
    explicit SessionBackend(std::string_view url);
    ~SessionBackend();
    SessionBackend(const SessionBackend&) = delete;
    SessionBackend& operator=(const SessionBackend&) = delete;
    typhoon::session::SessionStore& store() noexcept { return *store_; }
    /// Closes the connections to Redis or the database (for tests that check for leaks).
    void close() noexcept;

private:
    struct Connections;
    std::unique_ptr<Connections> connections_;
    std::unique_ptr<typhoon::session::SessionStore> store_;
};

/** The demo's routes: "/" (the signed-in user), "/login" (the two buttons), "/auth/google",
    "/auth/github", "/logout", and with provider "fake" the fakes of `fakes`, which must outlive
    the application. @throws typhoon::Error for an unknown provider. */
typhoon::web::Application make_app(const AuthLoginOptions& options, FakeProviders& fakes);

}  // namespace auth_login

#endif
