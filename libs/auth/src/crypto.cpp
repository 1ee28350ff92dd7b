#include "crypto.hpp"

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
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (const char c : hmac(EVP_sha256(), key, message)) {
        const auto byte = static_cast<unsigned char>(c);
        out += hex[byte >> 4];
        out += hex[byte & 15];
    }
    return out;
}

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(bytes.data()),
                                        static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    for (std::size_t i = 0; i < text.size() - padding; ++i) {
        const char c = text[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!ok) return std::nullopt;
    }
    std::string out(3 * text.size() / 4, '\0');
    // EVP_DecodeBlock keeps the bytes the padding stands for (as zeros); they are cut off below.
    const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(text.data()),
                                        static_cast<int>(text.size()));
    if (written < 0) return std::nullopt;
    out.resize(static_cast<std::size_t>(written) - padding);
    return out;
}

}  // namespace typhoon::auth::detail
