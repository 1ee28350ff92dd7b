#include <typhoon/core/detail/strings.hpp>

#include <typhoon/core/utf8.hpp>

#include "utf8_decoder.hpp"

namespace typhoon::escape::detail {

namespace {

/// Python's str.isprintable(), closely approximated: control and format characters, separators
/// other than the space, surrogates and private-use characters are not printable.
bool is_printable(char32_t cp) noexcept {
    if (cp < 0x20 || cp == 0x7F) return false;
    if (cp < 0x7F) return true;
    if (cp <= 0xA0 || cp == 0xAD) return false;
    if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F))
        return false;
    if ((cp >= 0x205F && cp <= 0x2064) || cp == 0x3000 || cp == 0xFEFF || cp == 0x061C ||
        cp == 0x180E)
        return false;
    if ((cp >= 0xD800 && cp <= 0xF8FF) || (cp >= 0xFFF9 && cp <= 0xFFFB)) return false;
    if (cp >= 0xF0000) return false;
    return true;
}

void append_hex(std::string& out, char prefix, char32_t value, int digits) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '\\';
    out += prefix;
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4)
        out += hex[(value >> shift) & 15];
}

}  // namespace

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string hex_encode(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string_view strip_unicode(std::string_view text) noexcept {
    while (!text.empty()) {
        const auto first = decode_code_point(text, 0);
        if (!first.valid || !is_unicode_space(first.code_point)) break;
        text.remove_prefix(first.length);
    }
    while (!text.empty()) {
        std::size_t start = text.size() - 1;
        while (start > 0 && text.size() - start < 4 &&
               (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
            --start;
        const auto last = decode_code_point(text, start);
        if (!last.valid || start + last.length != text.size() || !is_unicode_space(last.code_point))
            break;
        text.remove_suffix(last.length);
    }
    return text;
}

void append_python_repr(std::string& out, std::string_view text, Repr type) {
    const bool double_quoted =
        text.find('\'') != std::string_view::npos && text.find('"') == std::string_view::npos;
    const char quote = double_quoted ? '"' : '\'';
    if (type == Repr::bytes) out += 'b';
    out += quote;
    for (std::size_t pos = 0; pos < text.size();) {
        const auto byte = static_cast<unsigned char>(text[pos]);
        DecodedCodePoint decoded{byte, 1, true};
        if (byte >= 0x80) {
            if (type == Repr::str) decoded = decode_code_point(text, pos);
            if (!decoded.valid || type == Repr::bytes) decoded = {byte, 1, false};
        }
        const char32_t cp = decoded.code_point;
        if (cp == static_cast<unsigned char>(quote) || cp == '\\') {
            out += '\\';
            out += static_cast<char>(cp);
        } else if (cp == '\t') {
            out += "\\t";
        } else if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\r') {
            out += "\\r";
        } else if (decoded.valid && is_printable(cp)) {
            out.append(text.substr(pos, decoded.length));
        } else if (cp < 0x100) {
            append_hex(out, 'x', cp, 2);
        } else if (cp < 0x10000) {
            append_hex(out, 'u', cp, 4);
        } else {
            append_hex(out, 'U', cp, 8);
        }
        pos += decoded.length;
    }
    out += quote;
}

std::string python_repr(std::string_view text, Repr type) {
    std::string out;
    out.reserve(text.size() + 3);
    append_python_repr(out, text, type);
    return out;
}

}  // namespace typhoon::escape::detail
