#ifndef TYPHOON_AUTH_HPP
#define TYPHOON_AUTH_HPP

// typhoon::auth: what `import tornado.auth` gives — third-party login mixins for request
// handlers (OpenID, OAuth 1.0a, OAuth 2, Google, Facebook, Twitter) and OAuth 1.0a signing.
#include <typhoon/auth/auth_error.hpp>
#include <typhoon/auth/auth_mixin.hpp>
#include <typhoon/auth/facebook_graph_mixin.hpp>
#include <typhoon/auth/google_oauth2_mixin.hpp>
#include <typhoon/auth/oauth2_mixin.hpp>
#include <typhoon/auth/oauth_mixin.hpp>
#include <typhoon/auth/oauth_signature.hpp>
#include <typhoon/auth/oauth_token.hpp>
#include <typhoon/auth/openid_mixin.hpp>
#include <typhoon/auth/twitter_mixin.hpp>

#endif
