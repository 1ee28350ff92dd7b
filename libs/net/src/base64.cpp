#include <typhoon/net/detail/base64.hpp>

#include <openssl/evp.h>

#include <cstddef>

namespace typhoon::netutil::detail {

namespace {

bool in_alphabet(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

/** Decodes canonical base64: groups of four, '=' only in the last two places. EVP_DecodeBlock
    decodes what the padding stands for as zero bytes, which are cut off here. */
std::optional<std::string> decode_canonical(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    for (std::size_t i = 0; i < text.size() - padding; ++i)
        if (!in_alphabet(text[i])) return std::nullopt;
    std::string out(3 * text.size() / 4, '\0');
    const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(text.data()),
                                        static_cast<int>(text.size()));
    if (written < 0) return std::nullopt;
    out.resize(static_cast<std::size_t>(written) - padding);
    return out;
}

/** The canonical form of what binascii.a2b_base64 reads in `text`: its alphabet characters, and
    the padding that ends the data, if any. std::nullopt for a group left incomplete. */
std::optional<std::string> canonical_form(std::string_view text) {
    std::string digits;
    digits.reserve(text.size());
    int group = 0;  // digits in the current group of 4
    int pads = 0;
    for (const char c : text) {
        if (c == '=') {
            if (group >= 2 && group + ++pads >= 4) {
                digits.append(4 - group, '=');
                return digits;
            }
            continue;
        }
        if (!in_alphabet(c)) continue;
        pads = 0;
        group = (group + 1) % 4;
        digits += c;
    }
    if (group != 0) return std::nullopt;
    return digits;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
    // EVP_EncodeBlock counts in int: long input goes through in pieces of whole groups.
    constexpr std::size_t piece = 3 * 1024 * 1024;
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    std::size_t written = 0;
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
        const std::string_view part = bytes.substr(at, piece);
        // It also writes a NUL after the text, which lands on the next piece or the string's own.
        written += static_cast<std::size_t>(EVP_EncodeBlock(
            reinterpret_cast<unsigned char*>(out.data() + written),
            reinterpret_cast<const unsigned char*>(part.data()), static_cast<int>(part.size())));
    }
    out.resize(written);
    return out;
}

std::optional<std::string> base64_decode(std::string_view text, Base64Input input) {
    if (input == Base64Input::strict) return decode_canonical(text);
    const auto canonical = canonical_form(text);
    if (!canonical) return std::nullopt;
    return decode_canonical(*canonical);
}

}  // namespace typhoon::netutil::detail
