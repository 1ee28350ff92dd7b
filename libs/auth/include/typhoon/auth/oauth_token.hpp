#ifndef TYPHOON_AUTH_OAUTH_TOKEN_HPP
#define TYPHOON_AUTH_OAUTH_TOKEN_HPP

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace typhoon::auth {

/** An OAuth 1.0a token or consumer token: Tornado's `dict(key=..., secret=...)`. A token the
    provider hands out may carry more fields (Twitter's `screen_name` and `user_id`), kept in
    `extra` as Tornado keeps them in the dict. */
struct OAuthToken {
    std::string key{};     ///< the token (or consumer key) itself, sent as oauth_token
    std::string secret{};  ///< its secret, which only signs requests and is never sent
    /// The oauth_verifier of the authorization step, for the access-token request.
    std::optional<std::string> verifier{};
    /// The provider's other fields, by name.
    std::map<std::string, std::string, std::less<>> extra{};

    /// `{"key": ..., "secret": ..., <extra>...}`, the dict Tornado puts in user["access_token"].
    boost::json::object to_json() const;
    /** The token in a JSON object shaped as to_json() makes it (e.g. read back from a cookie).
        @throws AuthError when `key` or `secret` is missing or not a string. */
    static OAuthToken from_json(const boost::json::object& object);

    friend bool operator==(const OAuthToken&, const OAuthToken&) = default;
};

/** The token in a provider's `application/x-www-form-urlencoded` answer to a request-token or
    access-token request (Tornado's `_oauth_parse_response`): oauth_token and oauth_token_secret,
    and every other non-empty field in `extra` (the first value of each), except fields named
    `key`, `secret` or `verifier`: in Tornado's dict they would replace the token's own.
    @throws AuthError when oauth_token or oauth_token_secret is missing. */
OAuthToken oauth_parse_response(std::string_view body);

}  // namespace typhoon::auth

#endif
