#ifndef TYPHOON_AUTH_OAUTH_SIGNATURE_HPP
#define TYPHOON_AUTH_OAUTH_SIGNATURE_HPP

#include <typhoon/auth/oauth_token.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace typhoon::auth {

/// The parameters of a signed request, sorted by name as the signature base string needs them
/// (RFC 5849 §3.4.1.3.2; Tornado sorts its dict the same way, by code point, which is UTF-8
/// byte order).
using OAuthParameters = std::map<std::string, std::string, std::less<>>;

/** Percent-encodes `value` as RFC 5849 §3.6 asks: every byte but letters, digits and `-._~`, with
    upper-case hex (Tornado's `_oauth_escape`, `urllib.parse.quote(value, safe="~")`). */
std::string oauth_escape(std::string_view value);

/** The HMAC-SHA1 signature of a request for OAuth 1.0, base64-encoded (Tornado's
    `_oauth_signature`). The base string is the upper-cased method, the URL without query,
    fragment or `;params` (scheme and host lower-cased) and `name=escaped value` pairs joined by
    `&`, each part escaped again; the key is the consumer secret and the token secret joined by
    `&`, as they are. Parameter names are not escaped, exactly as Tornado writes them, so
    the signature matches Tornado's for any input. */
std::string oauth_signature(const OAuthToken& consumer_token, std::string_view method,
                            std::string_view url, const OAuthParameters& parameters = {},
                            const std::optional<OAuthToken>& token = std::nullopt);

/** The same for OAuth 1.0a (Tornado's `_oauth10a_signature`): the secrets in the key are
    percent-encoded first (RFC 5849 §3.4.2), which changes the signature for secrets with
    characters outside the unreserved set. */
std::string oauth10a_signature(const OAuthToken& consumer_token, std::string_view method,
                               std::string_view url, const OAuthParameters& parameters = {},
                               const std::optional<OAuthToken>& token = std::nullopt);

}  // namespace typhoon::auth

#endif
