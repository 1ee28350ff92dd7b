#include <typhoon/core/escape.hpp>

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/utf8.hpp>

#include "python_int.hpp"
#include "unicode_tables.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace typhoon::escape {

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
    // Every template render calls this for each {{ }}: one table lookup per byte to size the
    // result exactly, then plain runs are copied whole between the replacements.
    static constexpr std::string_view replacements[] = {"",     "&amp;",  "&lt;",
                                                        "&gt;", "&quot;", "&#39;"};
    static constexpr auto kind = [] {
        std::array<unsigned char, 256> table{};
        table['&'] = 1;
        table['<'] = 2;
        table['>'] = 3;
        table['"'] = 4;
        table['\''] = 5;
        return table;
    }();
    static constexpr unsigned char growth[] = {0, 4, 3, 3, 5, 4};

    std::size_t size = value.size();
    for (char c : value)
        size += growth[kind[static_cast<unsigned char>(c)]];
    if (size == value.size()) return std::string(value);

    std::string out(size, '\0');
    char* cursor = out.data();
    const char* run = value.data();
    const char* const end = value.data() + value.size();
    for (const char* p = run; p != end; ++p) {
        const unsigned char k = kind[static_cast<unsigned char>(*p)];
        if (k == 0) continue;
        cursor = std::copy(run, p, cursor);
        cursor = std::copy(replacements[k].begin(), replacements[k].end(), cursor);
        run = p + 1;
    }
    std::copy(run, end, cursor);
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
