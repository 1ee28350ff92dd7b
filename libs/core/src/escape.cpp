#include <typhoon/core/escape.hpp>

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/detail/xhtml_escape.hpp>
#include <typhoon/core/utf8.hpp>

#include "python_int.hpp"
#include "unicode_tables.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace typhoon::escape {

namespace {

// Each byte's kind (0 for a byte kept as it is), and the replacement of each kind with its
// length. A replacement is stored as 8 bytes so that the kernel copies it in one store.
constexpr char xhtml_replacements[6][8] = {"", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
constexpr unsigned char xhtml_lengths[6] = {1, 5, 4, 4, 6, 5};
constexpr auto xhtml_kind = [] {
    std::array<unsigned char, 256> table{};
    table['&'] = 1;
    table['<'] = 2;
    table['>'] = 3;
    table['"'] = 4;
    table['\''] = 5;
    return table;
}();

}  // namespace

namespace detail {

char* xhtml_escape_into(char* out, std::string_view text) noexcept {
    // Clean bytes are copied in blocks of 16, 8 and 4 (SSE2) and each special character is
    // replaced in place.
    const auto& replacements = xhtml_replacements;
    const auto& lengths = xhtml_lengths;
    const auto& kind = xhtml_kind;
    const char* p = text.data();
    const char* const end = p + text.size();
#if defined(__SSE2__)
    const std::size_t n = text.size();
    const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
                  quot = _mm_set1_epi8('"'), apos = _mm_set1_epi8('\'');
    auto specials = [&](__m128i v) {
        return _mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, lt)),
                         _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, gt), _mm_cmpeq_epi8(v, quot)),
                                      _mm_cmpeq_epi8(v, apos))));
    };
    if (n >= 8 && n < 16) {  // the usual short string: two overlapping halves checked at once
        const __m128i low = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
        const __m128i high = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(end - 8));
        if (specials(_mm_unpacklo_epi64(low, high)) == 0) {
            _mm_storel_epi64(reinterpret_cast<__m128i*>(out), low);
            _mm_storel_epi64(reinterpret_cast<__m128i*>(out + n - 8), high);
            return out + n;
        }
    } else if (n >= 4 && n < 8) {
        std::uint32_t low, high;
        std::memcpy(&low, p, 4);
        std::memcpy(&high, end - 4, 4);
        if (specials(_mm_set_epi32(0, 0, static_cast<int>(high), static_cast<int>(low))) == 0) {
            std::memcpy(out, &low, 4);
            std::memcpy(out + n - 4, &high, 4);
            return out + n;
        }
    }
    std::size_t verbatim = 0;  // bytes just before `p` copied unchanged
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out), v);
        const int mask = specials(v);
        if (mask == 0) {
            p += 16;
            out += 16;
            verbatim += 16;
            continue;
        }
        const int clean = __builtin_ctz(static_cast<unsigned>(mask));
        p += clean;
        out += clean;
        const unsigned char k = kind[static_cast<unsigned char>(*p++)];
        std::memcpy(out, replacements[k], 8);
        out += lengths[k];
        verbatim = 0;
    }
    if (p != end && n >= 16) {
        // The last 16 bytes of the text, when those before the tail were copied unchanged: the
        // store rewrites them with themselves.
        const auto tail = static_cast<std::size_t>(end - p);
        if (verbatim >= 16 - tail) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(end - 16));
            if ((static_cast<unsigned>(specials(v)) >> (16 - tail)) == 0) {
                _mm_storeu_si128(reinterpret_cast<__m128i*>(out - (16 - tail)), v);
                return out + tail;
            }
        }
    }
    if (end - p >= 8) {
        const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
        if ((specials(v) & 0xff) == 0) {
            _mm_storel_epi64(reinterpret_cast<__m128i*>(out), v);
            p += 8;
            out += 8;
        }
    }
    if (end - p >= 4) {
        std::int32_t word;
        std::memcpy(&word, p, 4);
        if ((specials(_mm_cvtsi32_si128(word)) & 0xf) == 0) {
            std::memcpy(out, &word, 4);
            p += 4;
            out += 4;
        }
    }
#endif
    for (; p != end; ++p) {
        const unsigned char k = kind[static_cast<unsigned char>(*p)];
        if (k == 0) {
            *out++ = *p;
        } else {
            std::memcpy(out, replacements[k], 8);
            out += lengths[k];
        }
    }
    return out;
}

void append_xhtml_escaped(std::string& out, std::string_view text) {
    const std::size_t size = out.size();
    out.resize(size + xhtml_escape_room(text.size()));
    out.resize(static_cast<std::size_t>(xhtml_escape_into(out.data() + size, text) - out.data()));
}

}  // namespace detail

namespace {

bool is_ascii_word(unsigned char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::optional<char32_t> named_entity(std::string_view name) {
    const auto& table = detail::html_entities;
    const auto it =
        std::lower_bound(table.begin(), table.end(), name,
                         [](const auto& entry, std::string_view key) { return entry.name < key; });
    if (it == table.end() || it->name != name) return std::nullopt;
    return it->code_point;
}

/// What a reference `&#...;` or `&...;` stands for. Tornado hands the digits to Python's int(),
/// so `&#1_0;` and `&#x0x41;` are references too; we accept exactly what int() accepts.
std::optional<char32_t> resolve_reference(bool numeric, std::string_view body) {
    if (!numeric) return named_entity(body);
    const bool hex = body.front() == 'x' || body.front() == 'X';
    const auto value = detail::parse_python_int(hex ? body.substr(1) : body, hex ? 16 : 10);
    if (!value || *value > 0x10FFFF) return std::nullopt;  // chr() refuses it: kept as written
    return static_cast<char32_t>(*value);
}

}  // namespace

std::string xhtml_escape(std::string_view value) {
    // Every render calls this for each {{ }}: one table lookup per byte sizes the result exactly,
    // and text with nothing to escape is copied whole.
    std::size_t size = 0;
    for (char c : value)
        size += xhtml_lengths[xhtml_kind[static_cast<unsigned char>(c)]];
    if (size == value.size()) return std::string(value);

    std::string out(size + 16, '\0');  // the kernel's block stores may pass the end by 16
    out.resize(static_cast<std::size_t>(detail::xhtml_escape_into(out.data(), value) - out.data()));
    return out;
}

std::string xhtml_unescape(std::string_view value) {
    // Tornado's pattern is `&(#?)(\w+?);`: a reference is '&', an optional '#', then word
    // characters up to the first ';'. Non-ASCII word characters never name an entity or form a
    // number we accept, so stopping the name at them gives the same text back.
    std::string out;
    out.reserve(value.size());
    std::size_t pos = 0;
    while (pos < value.size()) {
        const std::size_t amp = value.find('&', pos);
        if (amp == std::string_view::npos) break;
        out.append(value.substr(pos, amp - pos));
        const bool numeric = amp + 1 < value.size() && value[amp + 1] == '#';
        const std::size_t name_start = amp + 1 + (numeric ? 1 : 0);
        std::size_t name_end = name_start;
        while (name_end < value.size() &&
               is_ascii_word(static_cast<unsigned char>(value[name_end])))
            ++name_end;
        const bool terminated = name_end < value.size() && value[name_end] == ';';
        std::optional<char32_t> resolved;
        if (name_end > name_start && terminated)
            resolved = resolve_reference(numeric, value.substr(name_start, name_end - name_start));
        if (resolved) {
            append_utf8(out, *resolved);
            pos = name_end + 1;
        } else {
            out.push_back('&');
            pos = amp + 1;
        }
    }
    out.append(value.substr(std::min(pos, value.size())));
    return to_valid_utf8(out);
}

std::string url_escape(std::string_view value, UrlEscapeOptions options) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size() * 3 / 2);
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_ascii_word(c) || c == '.' || c == '-' || c == '~' || (c == '/' && !options.plus)) {
            out.push_back(ch);
        } else if (c == ' ' && options.plus) {
            out.push_back('+');
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
    }
    return out;
}

std::string url_unescape(std::string_view value, UrlUnescapeOptions options) {
    const auto hex_value = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == '%' && i + 2 < value.size() && hex_value(value[i + 1]) >= 0 &&
            hex_value(value[i + 2]) >= 0) {
            out.push_back(
                static_cast<char>(hex_value(value[i + 1]) * 16 + hex_value(value[i + 2])));
            i += 2;
        } else if (c == '+' && options.plus) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return options.decode_utf8 ? to_valid_utf8(out) : out;
}

std::string squeeze(std::string_view value) {
    std::string collapsed;
    collapsed.reserve(value.size());
    for (std::size_t i = 0; i < value.size();) {
        if (static_cast<unsigned char>(value[i]) <= 0x20) {
            collapsed.push_back(' ');
            while (i < value.size() && static_cast<unsigned char>(value[i]) <= 0x20)
                ++i;
        } else {
            collapsed.push_back(value[i++]);
        }
    }

    // Python's str.strip() removes Unicode whitespace too (U+00A0, U+3000, ...), not just ' '.
    return std::string(detail::strip_unicode(collapsed));
}

}  // namespace typhoon::escape
