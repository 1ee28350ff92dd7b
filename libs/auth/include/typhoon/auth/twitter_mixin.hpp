#ifndef TYPHOON_AUTH_TWITTER_MIXIN_HPP
#define TYPHOON_AUTH_TWITTER_MIXIN_HPP

#include <typhoon/auth/oauth_mixin.hpp>

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace typhoon::auth {

/// Options of TwitterMixin::twitter_request (Tornado's keyword arguments).
struct TwitterRequestOptions {
    /// Sent as a form body with POST (and signed); without them the request is a GET.
    std::optional<Params> post_args{};
    /// Query arguments (signed).
    Params args{};
};

/** Twitter (X) login with OAuth 1.0a and signed API calls (tornado.auth.TwitterMixin). Put the
    application's consumer key and secret in the settings, `.extra = {{"twitter_consumer_key",
    ...}, {"twitter_consumer_secret", ...}}`, then:

        awaitable<void> get() override {
            if (get_argument("oauth_token", std::nullopt)) {
                const auto user = co_await get_authenticated_user();
                // user["username"], user["access_token"]...
                co_return;
            }
            co_await authorize_redirect();
        }

    The user is the answer of /account/verify_credentials with `username` set to its
    `screen_name`. */
class TwitterMixin : public OAuthMixin {
public:
    TwitterMixin();

    /** As authorize_redirect(), to the "Sign in with Twitter" page (oauth_authenticate_url),
        which returns at once for a user who already authorized the application. */
    awaitable<void> authenticate_redirect(std::optional<std::string> callback_uri = std::nullopt);

    /** A signed request to the Twitter API: `path` such as "/statuses/update" under
        twitter_base_url (with ".json" added), or a full http(s) URL, signed with
        `access_token` (unsigned without one).
        @throws AuthError when Twitter answers with an error or not in time, or not with JSON. */
    awaitable<boost::json::value> twitter_request(std::string_view path,
                                                  const std::optional<OAuthToken>& access_token,
                                                  TwitterRequestOptions options = {});

protected:
    /// From the twitter_consumer_key and twitter_consumer_secret settings.
    /// @throws typhoon::Error when one is missing.
    OAuthToken oauth_consumer_token() override;
    awaitable<boost::json::object> oauth_get_user_future(const OAuthToken& access_token) override;

    ///@{
    /// Tornado's `_OAUTH_AUTHENTICATE_URL` and `_TWITTER_BASE_URL`.
    std::string oauth_authenticate_url = "https://api.twitter.com/oauth/authenticate";
    std::string twitter_base_url = "https://api.twitter.com/1.1";
    ///@}
};

}  // namespace typhoon::auth

#endif
