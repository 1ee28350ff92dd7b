#include "crypto.hpp"

#include <typhoon/core/detail/strings.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace typhoon::auth::detail {

namespace {

std::string hmac(const EVP_MD* digest, std::string_view key, std::string_view message) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (!HMAC(digest, key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &size))
        throw std::runtime_error("OpenSSL HMAC failed");
    return std::string(reinterpret_cast<const char*>(out), size);
}

}  // namespace

std::string hmac_sha1(std::string_view key, std::string_view message) {
    return hmac(EVP_sha1(), key, message);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    return escape::detail::hex_encode(hmac(EVP_sha256(), key, message));
}

}  // namespace typhoon::auth::detail
