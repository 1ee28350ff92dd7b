// The few cryptographic pieces the mixins need, through OpenSSL: HMAC for OAuth 1.0a signatures
// and Facebook's appsecret_proof, base64 for signatures and the request-token cookie.
#ifndef TYPHOON_AUTH_SRC_CRYPTO_HPP
#define TYPHOON_AUTH_SRC_CRYPTO_HPP

#include <optional>
#include <string>
#include <string_view>

namespace typhoon::auth::detail {

/// The raw 20-byte HMAC-SHA1 of `message` under `key`.
std::string hmac_sha1(std::string_view key, std::string_view message);
/// The HMAC-SHA256 of `message` under `key`, as 64 lower-case hex digits (Python's hexdigest()).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
/// Standard base64 with padding (binascii.b2a_base64 without its newline).
std::string base64_encode(std::string_view bytes);
/// The bytes of standard base64 text; std::nullopt for anything else (wrong length, a character
/// outside the alphabet, padding in the middle).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace typhoon::auth::detail

#endif
