#ifndef TYPHOON_AUTH_AUTH_ERROR_HPP
#define TYPHOON_AUTH_AUTH_ERROR_HPP

#include <typhoon/core/error.hpp>

/// Third-party login (tornado.auth): OpenID, OAuth 1.0a and OAuth 2 mixins for handlers, and
/// the Google, Facebook and Twitter ones.
namespace typhoon::auth {

/** A third-party login that did not succeed (tornado.auth.AuthError): the provider answered with
    an error, a body that is not what the protocol says (bad JSON, a missing field), nothing at all
    (a timeout), or the request carried a request token that is missing, malformed or not the one
    this browser was given. `what()` says which, and names the provider URL where there is one.

    A handler that lets it escape answers 500 and logs it as any uncaught exception; catch it to
    show your own page (a 403 for a forged token, a 502 for a provider that failed). No user is
    returned, so nobody is logged in. */
class AuthError : public Error {
public:
    using Error::Error;
};

}  // namespace typhoon::auth

#endif
