#ifndef TYPHOON_AUTH_OAUTH2_MIXIN_HPP
#define TYPHOON_AUTH_OAUTH2_MIXIN_HPP

#include <typhoon/auth/auth_mixin.hpp>

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace typhoon::auth {

/// Options of OAuth2Mixin::authorize_redirect (Tornado's keyword arguments).
struct OAuth2RedirectOptions {
    /// Where the provider sends the user back with `?code=...`.
    std::optional<std::string> redirect_uri{};
    /// The application's id at the provider, sent as `client_id`.
    std::optional<std::string> client_id{};
    /// Accepted for Tornado's signature and never sent: the secret stays on the server.
    std::optional<std::string> client_secret{};
    /// More parameters for the authorization URL; they replace the ones above of the same name.
    Params extra_params{};
    /// Scopes, sent space-separated.
    std::vector<std::string> scope{};
    /// The OAuth 2 grant asked for: "code" (the authorization-code flow) by default.
    std::string response_type = "code";
};

/// Options of OAuth2Mixin::oauth2_request (Tornado's keyword arguments).
struct OAuth2RequestOptions {
    /// Sent as the access_token argument.
    std::optional<std::string> access_token{};
    /// Sent as a form body with POST; without them the request is a GET.
    std::optional<Params> post_args{};
    /// More query arguments. As in Tornado, they are sent only with an access_token.
    Params args{};
};

/** OAuth 2 authorization-code login (tornado.auth.OAuth2Mixin). Set oauth_authorize_url and
    oauth_access_token_url (GoogleOAuth2Mixin and FacebookGraphMixin do), send the user to the
    provider with authorize_redirect(), and exchange the `code` it sends back for a token; call
    the provider's API with oauth2_request(). */
class OAuth2Mixin : public virtual AuthMixin {
public:
    /** Redirects the user to oauth_authorize_url to obtain authorization: `response_type`,
        `redirect_uri`, `client_id`, the extra parameters and the space-separated `scope` in the
        query. */
    void authorize_redirect(OAuth2RedirectOptions options = {});

    /** Fetches `url` with an OAuth 2 access token and returns the decoded JSON answer:

            const auto items = co_await oauth2_request(
                "https://www.googleapis.com/oauth2/v1/userinfo",
                {.access_token = token});

        @throws AuthError when the provider answers with an error, does not answer in time, or
        answers with something other than JSON. */
    awaitable<boost::json::value> oauth2_request(std::string url,
                                                 OAuth2RequestOptions options = {});

protected:
    /// The token-endpoint URL with the code-exchange parameters in its query (Tornado's
    /// _oauth_request_token_url; Facebook's token endpoint takes a GET).
    std::string token_request_url(const std::optional<std::string>& redirect_uri,
                                  const std::optional<std::string>& client_id,
                                  const std::optional<std::string>& client_secret,
                                  const std::optional<std::string>& code,
                                  const Params& extra_params = {});

    ///@{
    /// Tornado's `_OAUTH_AUTHORIZE_URL` and `_OAUTH_ACCESS_TOKEN_URL`.
    std::string oauth_authorize_url{};
    std::string oauth_access_token_url{};
    ///@}
};

}  // namespace typhoon::auth

#endif
