#include "digest.hpp"

// The SHA1_* functions are deprecated in OpenSSL 3 in favour of EVP, but they are still there
// and, for the short bodies every GET answer hashes into its Etag, several times cheaper than an
// EVP round trip.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace typhoon::web::detail {

namespace {

struct MdFree {
    void operator()(EVP_MD* md) const noexcept { EVP_MD_free(md); }
};
struct CtxFree {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

// Static file versions hash whole files through EVP: each thread fetches the algorithm once (the
// lookup costs more than hashing a small file) and reuses one context for it.
class Hasher {
public:
    explicit Hasher(const char* algorithm_name)
        : algorithm_(EVP_MD_fetch(nullptr, algorithm_name, nullptr)), context_(EVP_MD_CTX_new()) {
        if (!algorithm_ || !context_)
            throw std::runtime_error(std::string("OpenSSL cannot hash with ") + algorithm_name);
    }

    std::string hex(std::string_view data) {
        begin();
        update(data);
        return finish();
    }

    void begin() {
        if (EVP_DigestInit_ex2(context_.get(), algorithm_.get(), nullptr) != 1)
            throw std::runtime_error("OpenSSL digest failed");
    }
    void update(std::string_view data) {
        if (EVP_DigestUpdate(context_.get(), data.data(), data.size()) != 1)
            throw std::runtime_error("OpenSSL digest failed");
    }
    std::string finish() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        if (EVP_DigestFinal_ex(context_.get(), digest, &size) != 1)
            throw std::runtime_error("OpenSSL digest failed");
        static constexpr char digits[] = "0123456789abcdef";
        std::string out(size * 2, '0');
        for (unsigned int i = 0; i < size; ++i) {
            out[2 * i] = digits[digest[i] >> 4];
            out[2 * i + 1] = digits[digest[i] & 15];
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD, MdFree> algorithm_;
    std::unique_ptr<EVP_MD_CTX, CtxFree> context_;
};

// Each byte's two hex digits: the digest is written two characters at a time.
constexpr auto hex_pairs = [] {
    constexpr char digits[] = "0123456789abcdef";
    std::array<std::array<char, 2>, 256> pairs{};
    for (std::size_t i = 0; i < 256; ++i)
        pairs[i] = {digits[i >> 4], digits[i & 15]};
    return pairs;
}();

}  // namespace

namespace {

/// The last one-block body this thread hashed, and its tag. A handler often answers the same short
/// body request after request (a health check, a fixed JSON document, hello world): comparing 55
/// bytes costs far less than hashing them again.
struct LastShortBody {
    std::size_t size = 0;
    bool known = false;
    unsigned char bytes[55];
    std::string tag;
};

}  // namespace

std::string quoted_sha1_hex(std::string_view data) {
    thread_local LastShortBody last;
    const bool short_body = data.size() <= 55;
    if (short_body && last.known && last.size == data.size() &&
        (data.empty() || std::memcmp(last.bytes, data.data(), data.size()) == 0))
        return last.tag;
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA_CTX context;  // SHA1() itself would look the algorithm up in a provider on each call
    SHA1_Init(&context);
    if (data.size() <= 55) {
        // A body this short (most API answers) is one padded block (RFC 3174 §4): hashed with
        // SHA1_Transform, it skips SHA1_Update's buffering and SHA1_Final's padding and wiping.
        unsigned char block[64] = {};
        if (!data.empty()) std::memcpy(block, data.data(), data.size());
        block[data.size()] = 0x80;
        const std::uint64_t bits = 8 * static_cast<std::uint64_t>(data.size());
        for (int i = 0; i < 8; ++i)
            block[63 - i] = static_cast<unsigned char>(bits >> (8 * i));
        SHA1_Transform(&context, block);
        const SHA_LONG words[5] = {context.h0, context.h1, context.h2, context.h3, context.h4};
        for (int i = 0; i < 5; ++i)
            for (int j = 0; j < 4; ++j)
                digest[4 * i + j] = static_cast<unsigned char>(words[i] >> (24 - 8 * j));
    } else {
        SHA1_Update(&context, data.data(), data.size());
        SHA1_Final(digest, &context);
    }
    // Written in place, quotes included: the Etag costs one allocation.
    std::string out(2 * SHA_DIGEST_LENGTH + 2, '"');
    for (std::size_t i = 0; i < SHA_DIGEST_LENGTH; ++i)
        std::memcpy(out.data() + 1 + 2 * i, hex_pairs[digest[i]].data(), 2);
    if (short_body) {
        last.known = true;
        last.size = data.size();
        if (!data.empty()) std::memcpy(last.bytes, data.data(), data.size());
        last.tag = out;
    }
    return out;
}

namespace {

Hasher& sha512_hasher() {
    thread_local Hasher sha512("SHA512");
    return sha512;
}

}  // namespace

std::string sha512_hex(std::string_view data) {
    return sha512_hasher().hex(data);
}

std::optional<std::string> file_sha512_hex(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return std::nullopt;
    Hasher& hasher = sha512_hasher();
    hasher.begin();
    std::string chunk(64 * 1024, '\0');
    while (file) {
        file.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        hasher.update(std::string_view(chunk.data(), static_cast<std::size_t>(file.gcount())));
    }
    if (file.bad()) return std::nullopt;
    return hasher.finish();
}

}  // namespace typhoon::web::detail
