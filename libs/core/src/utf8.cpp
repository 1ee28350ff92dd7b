#include <typhoon/core/utf8.hpp>

#include "utf8_decoder.hpp"

#include <algorithm>
#include <iterator>

namespace typhoon::escape {

namespace detail {

DecodedCodePoint decode_code_point(std::string_view text, std::size_t pos) noexcept {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    if (lead < 0x80) return {lead, 1, true};

    // Unicode's table of well-formed sequences (Unicode 15, table 3-7): the second byte's range
    // depends on the lead byte, which rules out overlongs, surrogates and values past U+10FFFF.
    std::size_t trailing = 0;
    unsigned char second_low = 0x80, second_high = 0xBF;
    char32_t value = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        trailing = 1;
        value = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        trailing = 2;
        value = lead & 0x0F;
        if (lead == 0xE0) second_low = 0xA0;
        if (lead == 0xED) second_high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        trailing = 3;
        value = lead & 0x07;
        if (lead == 0xF0) second_low = 0x90;
        if (lead == 0xF4) second_high = 0x8F;
    } else {
        return {replacement_code_point, 1, false};
    }

    // A broken sequence is replaced as a whole up to the first byte that cannot continue it (the
    // "maximal subpart" rule), which is how Python's decoder counts its U+FFFD characters.
    std::size_t length = 1;
    for (std::size_t k = 0; k < trailing; ++k, ++length) {
        if (pos + length >= text.size()) return {replacement_code_point, length, false};
        const unsigned char next = byte(pos + length);
        const unsigned char low = k == 0 ? second_low : 0x80;
        const unsigned char high = k == 0 ? second_high : 0xBF;
        if (next < low || next > high) return {replacement_code_point, length, false};
        value = (value << 6) | (next & 0x3F);
    }
    return {value, length, true};
}

}  // namespace detail

bool is_valid_utf8(std::string_view text) noexcept {
    for (std::size_t pos = 0; pos < text.size();) {
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
            continue;
        }
        const auto decoded = detail::decode_code_point(text, pos);
        if (!decoded.valid) return false;
        pos += decoded.length;
    }
    return true;
}

std::string to_valid_utf8(std::string_view text) {
    if (is_valid_utf8(text)) return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t pos = 0; pos < text.size();) {
        const auto decoded = detail::decode_code_point(text, pos);
        if (decoded.valid)
            out.append(text.substr(pos, decoded.length));
        else
            out.append(replacement_character);
        pos += decoded.length;
    }
    return out;
}

std::u32string utf8_decode(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const auto decoded = detail::decode_code_point(text, pos);
        out.push_back(decoded.code_point);
        pos += decoded.length;
    }
    return out;
}

void append_utf8(std::string& out, char32_t cp) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = detail::replacement_code_point;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string utf8_encode(std::u32string_view code_points) {
    std::string out;
    out.reserve(code_points.size());
    for (char32_t cp : code_points)
        append_utf8(out, cp);
    return out;
}

bool is_unicode_space(char32_t cp) noexcept {
    static constexpr char32_t spaces[] = {0x09,   0x0A,   0x0B,   0x0C,   0x0D,   0x1C,
                                          0x1D,   0x1E,   0x1F,   0x20,   0x85,   0xA0,
                                          0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
    if (cp >= 0x2000 && cp <= 0x200A) return true;
    return std::find(std::begin(spaces), std::end(spaces), cp) != std::end(spaces);
}

}  // namespace typhoon::escape
