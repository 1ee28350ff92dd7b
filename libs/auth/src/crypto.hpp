// The few cryptographic pieces the mixins need, through OpenSSL: HMAC for OAuth 1.0a signatures
// and Facebook's appsecret_proof (base64 is net's: typhoon/net/detail/base64.hpp).
#ifndef TYPHOON_AUTH_SRC_CRYPTO_HPP
#define TYPHOON_AUTH_SRC_CRYPTO_HPP

#include <string>
#include <string_view>

namespace typhoon::auth::detail {

/// The raw 20-byte HMAC-SHA1 of `message` under `key`.
std::string hmac_sha1(std::string_view key, std::string_view message);
/// The HMAC-SHA256 of `message` under `key`, as 64 lower-case hex digits (Python's hexdigest()).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace typhoon::auth::detail

#endif
