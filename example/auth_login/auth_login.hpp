#ifndef AUTH_LOGIN_AUTH_LOGIN_HPP
#define AUTH_LOGIN_AUTH_LOGIN_HPP

// "Sign in with Google" and a GitHub-style OAuth 2 sign-in, as Tornado's google_auth demo does
// it: the login handlers mix GoogleOAuth2Mixin and OAuth2Mixin into RequestHandler, the signed-in
// user lives in a signed cookie, and "/" is protected by web::authenticated.

#include "fake_provider.hpp"

#include <typhoon/web.hpp>

#include <string>

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
};

/** The demo's routes: "/" (the signed-in user), "/login" (the two buttons), "/auth/google",
    "/auth/github", "/logout", and with provider "fake" the fakes of `fakes`, which must outlive
    the application. @throws typhoon::Error for an unknown provider. */
typhoon::web::Application make_app(const AuthLoginOptions& options, FakeProviders& fakes);

}  // namespace auth_login

#endif
