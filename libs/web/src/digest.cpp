#include "digest.hpp"

// The SHA1_* functions are deprecated in OpenSSL 3 in favour of EVP, but they are still there
// and, for the short bodies every GET answer hashes into its Etag, several times cheaper than an
// EVP round trip.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

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
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        if (EVP_DigestInit_ex2(context_.get(), algorithm_.get(), nullptr) != 1 ||
            EVP_DigestUpdate(context_.get(), data.data(), data.size()) != 1 ||
            EVP_DigestFinal_ex(context_.get(), digest, &size) != 1)
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

}  // namespace

std::string quoted_sha1_hex(std::string_view data) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA_CTX context;  // SHA1() itself would look the algorithm up in a provider on each call
    SHA1_Init(&context);
    SHA1_Update(&context, data.data(), data.size());
    SHA1_Final(digest, &context);
    static constexpr char digits[] = "0123456789abcdef";
    // Written in place, quotes included: the Etag costs one allocation.
    std::string out(2 * SHA_DIGEST_LENGTH + 2, '"');
    for (std::size_t i = 0; i < SHA_DIGEST_LENGTH; ++i) {
        out[1 + 2 * i] = digits[digest[i] >> 4];
        out[2 + 2 * i] = digits[digest[i] & 15];
    }
    return out;
}

std::string sha512_hex(std::string_view data) {
    thread_local Hasher sha512("SHA512");
    return sha512.hex(data);
}

}  // namespace typhoon::web::detail
