#include <typhoon/web/signed_value.hpp>

#include "signed_value_detail.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/net/detail/base64.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace typhoon::web {

namespace detail {

std::optional<std::string> hex_decode(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    const auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int high = digit(text[i]);
        const int low = digit(text[i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        out += static_cast<char>(high * 16 + low);
    }
    return out;
}

std::optional<long long> python_int(std::string_view text) {
    text = escape::detail::strip(text);  // int() of bytes strips what bytes.strip() does
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text.empty() || text.front() == '_' || text.back() == '_') return std::nullopt;
    long long value = 0;
    char previous = 0;
    for (const char c : text) {
        if (c == '_') {
            if (previous == '_') return std::nullopt;
        } else if (c >= '0' && c <= '9') {
            if (value > (std::numeric_limits<long long>::max() - (c - '0')) / 10)
                return std::nullopt;
            value = value * 10 + (c - '0');
        } else {
            return std::nullopt;
        }
        previous = c;
    }
    return negative ? -value : value;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    // The length of a signature is public; only its content must not leak through timing.
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hmac_hex(const char* digest_name, std::string_view key, std::string_view data) {
    const EVP_MD* md = std::string_view(digest_name) == "SHA1" ? EVP_sha1() : EVP_sha256();
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (!HMAC(md, key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size))
        throw std::runtime_error("OpenSSL HMAC failed");
    return hex_encode(std::string_view(reinterpret_cast<const char*>(out), size));
}

void xor_mask(std::string& data, std::string_view mask) {
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>(data[i] ^ mask[i % 4]);
}

std::optional<int> leading_version(std::string_view value) {
    // Tornado's `^([1-9][0-9]*)\|(.*)$`: `.` stops at a line break, `$` allows one at the end.
    if (value.empty() || value.front() < '1' || value.front() > '9') return std::nullopt;
    std::size_t digits = 0;
    while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9')
        ++digits;
    if (digits == value.size() || value[digits] != '|') return std::nullopt;
    const auto rest = value.substr(digits + 1);
    const auto newline = rest.find('\n');
    if (newline != std::string_view::npos && newline + 1 != rest.size()) return std::nullopt;
    if (digits > 3) return 1000;  // bigger than any version; the callers treat it so
    return std::stoi(std::string(value.substr(0, digits)));
}

}  // namespace detail

namespace {

using namespace detail;

double now_seconds(const SignedValueClock& clock) {
    if (clock) return clock();
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Tornado's _get_version: no version prefix (or an implausible one) means the version 1 format,
// whose base64 payload can look like a number.
int value_version(std::string_view value) {
    const auto version = leading_version(value);
    if (!version || *version > 999) return 1;
    return *version;
}

std::string length_prefixed(std::string_view field) {
    return std::to_string(field.size()) + ":" + std::string(field);
}

std::string sign(const std::string* secret, const std::map<int, std::string>* secrets,
                 std::string_view name, std::string_view value, const SignOptions& options) {
    const int version = options.version.value_or(2);
    const auto timestamp = std::to_string(static_cast<long long>(now_seconds(options.clock)));
    const std::string payload = netutil::detail::base64_encode(value);
    if (version == 1) {
        if (!secret) throw std::invalid_argument("version 1 signed values have no key versions");
        const std::string signature =
            hmac_hex("SHA1", *secret, std::string(name) + payload + timestamp);
        return payload + "|" + timestamp + "|" + signature;
    }
    if (version != 2) throw std::invalid_argument("Unsupported version " + std::to_string(version));
    std::string to_sign = "2|" + length_prefixed(std::to_string(options.key_version.value_or(0))) +
                          "|" + length_prefixed(timestamp) + "|" + length_prefixed(name) + "|" +
                          length_prefixed(payload) + "|";
    const std::string* key = secret;
    if (secrets) {
        if (!options.key_version)
            throw std::invalid_argument("Key version must be set when a map of secrets is used");
        const auto found = secrets->find(*options.key_version);
        if (found == secrets->end())
            throw std::invalid_argument("No secret for key version " +
                                        std::to_string(*options.key_version));
        key = &found->second;
    }
    return to_sign + hmac_hex("SHA256", *key, to_sign);
}

struct FieldsV2 {
    long long key_version = 0;
    std::string_view timestamp;
    std::string_view name;
    std::string_view value;
    std::string_view signature;
};

std::optional<FieldsV2> split_v2(std::string_view value) {
    std::string_view rest = value.substr(2);
    const auto consume = [&rest]() -> std::optional<std::string_view> {
        const auto colon = rest.find(':');
        const auto length = python_int(rest.substr(0, colon));
        rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        if (!length || *length < 0 || static_cast<unsigned long long>(*length) >= rest.size() ||
            rest[static_cast<std::size_t>(*length)] != '|')
            return std::nullopt;
        const auto field = rest.substr(0, static_cast<std::size_t>(*length));
        rest.remove_prefix(static_cast<std::size_t>(*length) + 1);
        return field;
    };
    const auto key_version = consume();
    if (!key_version) return std::nullopt;
    const auto timestamp = consume();
    if (!timestamp) return std::nullopt;
    const auto name = consume();
    if (!name) return std::nullopt;
    const auto payload = consume();
    if (!payload) return std::nullopt;
    const auto key = python_int(*key_version);
    if (!key) return std::nullopt;
    return FieldsV2{*key, *timestamp, *name, *payload, rest};
}

std::optional<std::string> refuse(std::string_view why, std::string_view value) {
    log::gen_log.warning(std::string(why) + " " +
                         escape::detail::python_repr(value, escape::detail::Repr::bytes));
    return std::nullopt;
}

std::optional<std::string> decode_v1(std::string_view secret, std::string_view name,
                                     std::string_view value, const DecodeOptions& options) {
    const auto first = value.find('|');
    const auto second = first == std::string_view::npos ? first : value.find('|', first + 1);
    if (second == std::string_view::npos || value.find('|', second + 1) != std::string_view::npos)
        return refuse("Malformed cookie", value);
    const auto payload = value.substr(0, first);
    const auto stamp = value.substr(first + 1, second - first - 1);
    const auto signature = value.substr(second + 1);
    const std::string expected =
        hmac_hex("SHA1", secret, std::string(name) + std::string(payload) + std::string(stamp));
    if (!constant_time_equal(signature, expected)) return refuse("Invalid cookie signature", value);
    const auto timestamp = python_int(stamp);
    if (!timestamp) return refuse("Malformed cookie timestamp", value);
    const double now = now_seconds(options.clock);
    if (static_cast<double>(*timestamp) < now - options.max_age_days * 86400)
        return refuse("Expired cookie", value);
    // Version 1 signs the parts without a separator, so digits could move from the payload to
    // the timestamp under the same signature: refuse timestamps that such a move would make.
    if (static_cast<double>(*timestamp) > now + 31 * 86400)
        return refuse("Cookie timestamp in future; possible tampering", value);
    if (stamp.starts_with('0')) return refuse("Tampered cookie", value);
    auto decoded = netutil::detail::base64_decode(payload);
    if (!decoded) return refuse("Invalid base64 in cookie", value);
    return decoded;
}

std::optional<std::string> decode_v2(const std::string* secret,
                                     const std::map<int, std::string>* secrets,
                                     std::string_view name, std::string_view value,
                                     const DecodeOptions& options) {
    const auto fields = split_v2(value);
    if (!fields) return refuse("Malformed cookie", value);
    const auto signed_part = value.substr(0, value.size() - fields->signature.size());
    const std::string* key = secret;
    if (secrets) {
        const auto found = fields->key_version < std::numeric_limits<int>::min() ||
                                   fields->key_version > std::numeric_limits<int>::max()
                               ? secrets->end()
                               : secrets->find(static_cast<int>(fields->key_version));
        if (found == secrets->end()) return refuse("Unknown cookie key version", value);
        key = &found->second;
    }
    if (!constant_time_equal(fields->signature, hmac_hex("SHA256", *key, signed_part)))
        return refuse("Invalid cookie signature", value);
    if (fields->name != name) return refuse("Cookie signed for another name", value);
    const auto timestamp = python_int(fields->timestamp);
    if (!timestamp) return refuse("Malformed cookie timestamp", value);
    if (static_cast<double>(*timestamp) < now_seconds(options.clock) - options.max_age_days * 86400)
        return refuse("Expired cookie", value);
    auto decoded = netutil::detail::base64_decode(fields->value);
    if (!decoded) return refuse("Invalid base64 in cookie", value);
    return decoded;
}

std::optional<std::string> decode(const std::string* secret,
                                  const std::map<int, std::string>* secrets, std::string_view name,
                                  std::string_view value, const DecodeOptions& options) {
    const int min_version = options.min_version.value_or(1);
    if (min_version > 2)
        throw std::invalid_argument("Unsupported min_version " + std::to_string(min_version));
    if (value.empty()) return std::nullopt;
    const int version = value_version(value);
    if (version < min_version) return refuse("Cookie of a refused version", value);
    if (version == 1) {
        if (!secret) return refuse("Version 1 cookie without key version", value);
        return decode_v1(*secret, name, value, options);
    }
    if (version == 2) return decode_v2(secret, secrets, name, value, options);
    return refuse("Unknown cookie version", value);
}

}  // namespace

std::string create_signed_value(std::string_view secret, std::string_view name,
                                std::string_view value, SignOptions options) {
    const std::string key(secret);
    return sign(&key, nullptr, name, value, options);
}

std::string create_signed_value(const std::map<int, std::string>& secrets, std::string_view name,
                                std::string_view value, SignOptions options) {
    if (options.version.value_or(2) != 2)
        throw std::invalid_argument("Version must be 2 for key version support");
    return sign(nullptr, &secrets, name, value, options);
}

std::optional<std::string> decode_signed_value(std::string_view secret, std::string_view name,
                                               std::string_view signed_value,
                                               DecodeOptions options) {
    const std::string key(secret);
    return decode(&key, nullptr, name, signed_value, options);
}

std::optional<std::string> decode_signed_value(const std::map<int, std::string>& secrets,
                                               std::string_view name, std::string_view signed_value,
                                               DecodeOptions options) {
    return decode(nullptr, &secrets, name, signed_value, options);
}

std::optional<int> get_signature_key_version(std::string_view signed_value) {
    if (value_version(signed_value) != 2) return std::nullopt;
    const auto fields = split_v2(signed_value);
    if (!fields || fields->key_version < std::numeric_limits<int>::min() ||
        fields->key_version > std::numeric_limits<int>::max())
        return std::nullopt;
    return static_cast<int>(fields->key_version);
}

}  // namespace typhoon::web
