#ifndef TYPHOON_AUTH_OAUTH_MIXIN_HPP
#define TYPHOON_AUTH_OAUTH_MIXIN_HPP

#include <typhoon/auth/auth_mixin.hpp>
#include <typhoon/auth/oauth_signature.hpp>
#include <typhoon/auth/oauth_token.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace typhoon::auth {

/// Options of OAuthMixin::authorize_redirect (Tornado's keyword arguments).
struct OAuthRedirectOptions {
    /// Where the provider sends the user back, relative to the request's URL; "oob" for
    /// out-of-band (the authorize URL is written as the response instead of a redirect).
    std::optional<std::string> callback_uri{};
    /// More parameters for the request-token request (OAuth 1.0a only).
    Params extra_params{};
    /// The client to use instead of get_auth_http_client().
    httpclient::AsyncHTTPClient* http_client = nullptr;
};

/** OAuth 1.0 and 1.0a login (tornado.auth.OAuthMixin). Set the three URLs, override
    oauth_consumer_token() and oauth_get_user_future(), then in the login handler:

        awaitable<void> get() override {
            if (get_argument("oauth_token", std::nullopt)) {
                const auto user = co_await get_authenticated_user();
                // user["access_token"] is the token to sign API requests with
                co_return;
            }
            co_await authorize_redirect({.callback_uri = "/auth/login"});
        }

    authorize_redirect() obtains a request token, keeps it in the `_oauth_request_token` cookie
    (`base64(key)|base64(secret)`, Tornado's format) and redirects to the provider;
    get_authenticated_user() checks that the provider's oauth_token is the cookie's, exchanges it
    for an access token and asks oauth_get_user_future() for the user. */
class OAuthMixin : public virtual AuthMixin {
public:
    /** Fetches a request token, sets the request-token cookie and redirects the user to
        oauth_authorize_url (with `callback_uri` "oob", writes that URL as the response).
        @throws typhoon::Error for a callback_uri when oauth_no_callbacks; AuthError when the
        provider fails or its answer has no token. */
    awaitable<void> authorize_redirect(OAuthRedirectOptions options = {});

    /** Completes the login on the callback request and returns oauth_get_user_future()'s user
        with `access_token` (the token as a JSON object) added.
        @throws web::MissingArgumentError (a 400) without an oauth_token argument; AuthError when
        the request-token cookie is missing, malformed or names another token ("Request token
        does not match cookie"), when the provider fails, or when no user comes back ("Error
        getting user"). */
    awaitable<boost::json::object> get_authenticated_user(
        httpclient::AsyncHTTPClient* http_client = nullptr);

    /** The OAuth parameters that sign a request to `url` with `access_token` (Tornado's
        _oauth_request_parameters): consumer key, token, method, timestamp, nonce, version and the
        signature over them and `parameters` (the request's own arguments). */
    OAuthParameters oauth_request_parameters(std::string_view url, const OAuthToken& access_token,
                                             const OAuthParameters& parameters = {},
                                             std::string_view method = "GET");

protected:
    /// The application's consumer key and secret (Tornado's _oauth_consumer_token).
    virtual OAuthToken oauth_consumer_token() = 0;
    /** The user the access token belongs to, typically from an API call signed with it (Tornado's
        _oauth_get_user_future). An empty object means there is none: the login fails. */
    virtual awaitable<boost::json::object> oauth_get_user_future(
        const OAuthToken& access_token) = 0;

    /// The signed URL of the request-token request (Tornado's _oauth_request_token_url).
    std::string request_token_url(const std::optional<std::string>& callback_uri = std::nullopt,
                                  const Params& extra_params = {});
    /// The signed URL that exchanges `request_token` for an access token.
    std::string access_token_url(const OAuthToken& request_token);
    /// Sets the request-token cookie from the provider's answer and sends the user on to
    /// `authorize_url` (Tornado's _on_request_token).
    void on_request_token(const std::string& authorize_url,
                          const std::optional<std::string>& callback_uri,
                          const httpclient::HTTPResponse& response);

    ///@{
    /// Tornado's `_OAUTH_REQUEST_TOKEN_URL`, `_OAUTH_AUTHORIZE_URL`, `_OAUTH_ACCESS_TOKEN_URL`.
    std::string oauth_request_token_url{};
    std::string oauth_authorize_url{};
    std::string oauth_access_token_url{};
    ///@}
    /// "1.0a" (the default: callbacks and verifiers, escaped secrets in the key) or "1.0".
    std::string oauth_version = "1.0a";
    /// The provider refuses oauth_callback (Tornado's `_OAUTH_NO_CALLBACKS`).
    bool oauth_no_callbacks = false;

private:
    std::string sign(const OAuthToken& consumer, std::string_view method, std::string_view url,
                     const OAuthParameters& parameters, const std::optional<OAuthToken>& token);
};

}  // namespace typhoon::auth

#endif
