#include "digest.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace typhoon::web::detail {

namespace {

std::string hex_digest(std::string_view data, const EVP_MD* algorithm) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &size, algorithm, nullptr) != 1)
        throw std::runtime_error("OpenSSL digest failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (unsigned int i = 0; i < size; ++i) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    return out;
}

}  // namespace

std::string sha1_hex(std::string_view data) {
    return hex_digest(data, EVP_sha1());
}

std::string md5_hex(std::string_view data) {
    return hex_digest(data, EVP_md5());
}

}  // namespace typhoon::web::detail
