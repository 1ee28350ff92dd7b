#ifndef TYPHOON_AUTH_FACEBOOK_GRAPH_MIXIN_HPP
#define TYPHOON_AUTH_FACEBOOK_GRAPH_MIXIN_HPP

#include <typhoon/auth/oauth2_mixin.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace typhoon::auth {

/// Arguments of FacebookGraphMixin::get_authenticated_user (Tornado's keyword arguments).
struct FacebookAuthOptions {
    /// The redirect URI given to authorize_redirect(); Facebook checks that they match.
    std::string redirect_uri{};
    ///@{
    /// The application's id and secret from Facebook's developer console.
    std::string client_id{};
    std::string client_secret{};
    ///@}
    /// The `code` argument Facebook sent back.
    std::string code{};
    /// Profile fields to fetch besides id, name, first_name, last_name, locale, picture, link.
    std::vector<std::string> extra_fields{};
};

/** Facebook login and Graph API calls (tornado.auth.FacebookGraphMixin):

        if (const auto code = get_argument("code", std::nullopt)) {
            const auto user = co_await get_authenticated_user({
                .redirect_uri = "/auth/facebookgraph/", .client_id = api_key,
                .client_secret = secret, .code = *code});
            ...
        } else {
            authorize_redirect({.redirect_uri = "/auth/facebookgraph/", .client_id = api_key,
                                .extra_params = {{"scope", "user_posts"}}});
        } */
class FacebookGraphMixin : public OAuth2Mixin {
public:
    FacebookGraphMixin();

    /** Exchanges `code` for an access token, then fetches the user's fields from /me (signed with
        `appsecret_proof`, HMAC-SHA256 of the token under the client secret). Returns each field
        asked for (null when Facebook left it out), `access_token`, and `session_expires`
        (expires_in as text), or std::nullopt when Facebook answers /me with null.
        @throws AuthError when either request fails, an answer is not JSON, or the token answer
        has no access_token. */
    awaitable<std::optional<boost::json::object>> get_authenticated_user(
        FacebookAuthOptions options);

    /** A Graph API request: `path` (such as "/me/feed") under facebook_base_url, with the
        access token, the POST arguments and the query arguments of `options`.
        @throws AuthError as oauth2_request(). */
    awaitable<boost::json::value> facebook_request(std::string_view path,
                                                   OAuth2RequestOptions options = {});

protected:
    /// Tornado's `_FACEBOOK_BASE_URL`.
    std::string facebook_base_url = "https://graph.facebook.com";
};

}  // namespace typhoon::auth

#endif
