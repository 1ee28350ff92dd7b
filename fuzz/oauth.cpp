// What an OAuth provider or a cookie hands tornado.auth: the urlencoded token answer
// (oauth_parse_response), a token read back from JSON (OAuthToken::from_json), and the request
// signatures over a URL and parameters taken from the input.
// - oauth_parse_response returns a token with a key and a secret, or throws AuthError; a token
//   survives to_json() and from_json() unchanged, so a provider's field cannot replace its key.
// - from_json of any JSON object returns a token or throws AuthError, never anything else.
// - oauth_signature and oauth10a_signature are the base64 of an HMAC-SHA1 (28 characters) for
//   any method, URL and parameters; oauth_escape leaves only unreserved characters and %XX.
// The OpenID and OAuth 2 readers take their input from a request or an HTTP response inside a
// handler; their parsing is json_decode and the request's arguments, fuzzed by escape_signed and
// form_body.

#include "check.hpp"

#include <typhoon/auth/auth_error.hpp>
#include <typhoon/auth/oauth_signature.hpp>
#include <typhoon/auth/oauth_token.hpp>

#include <boost/json/parse.hpp>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

using namespace typhoon;

namespace {

using fuzz_support::check;

void check_signature(const std::string& signature) {
    check(signature.size() == 28 && signature.ends_with('='), "a signature is not 20 bytes");
}

bool is_unreserved_or_escape(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("-._~%").find(c) != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    try {
        const auth::OAuthToken token = auth::oauth_parse_response(input);
        check(!token.key.empty() && !token.secret.empty(), "a parsed token has no key or secret");
        check(auth::OAuthToken::from_json(token.to_json()) == token,
              "a parsed token does not survive its JSON form");
    } catch (const auth::AuthError&) {
    }

    std::error_code error;
    const boost::json::value json = boost::json::parse(input, error);
    if (!error && json.is_object()) {
        try {
            const auth::OAuthToken token = auth::OAuthToken::from_json(json.as_object());
            check(auth::OAuthToken::from_json(token.to_json()) == token,
                  "a token read from JSON does not survive its JSON form");
        } catch (const auth::AuthError&) {
        }
    }

    // The input's lines: consumer secret, token secret, method, URL, then name=value parameters.
    std::string_view rest = input;
    const auto next_line = [&rest] {
        const auto end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        return std::string(line);
    };
    const auth::OAuthToken consumer{.key = "consumer", .secret = next_line()};
    const auth::OAuthToken token{.key = "token", .secret = next_line()};
    const std::string method = next_line(), url = next_line();
    auth::OAuthParameters parameters;
    for (int i = 0; i < 8 && !rest.empty(); ++i) {
        const std::string line = next_line();
        const auto equals = line.find('=');
        parameters.insert_or_assign(line.substr(0, equals),
                                    equals == std::string::npos ? "" : line.substr(equals + 1));
    }
    check_signature(auth::oauth_signature(consumer, method, url, parameters, token));
    check_signature(auth::oauth10a_signature(consumer, method, url, parameters));

    const std::string escaped = auth::oauth_escape(input);
    for (const char c : escaped)
        check(is_unreserved_or_escape(c), "oauth_escape left a reserved character");
    return 0;
}
