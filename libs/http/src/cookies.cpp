#include <typhoon/http/cookies.hpp>

#include <typhoon/core/detail/strings.hpp>

#include <algorithm>
#include <array>

namespace typhoon::httputil {

namespace {

/// Python's http.cookies._unquote: a quoted value loses its quotes, `\ooo` octal escapes and
/// `\c` escapes are resolved; an unquoted value is returned as it is. An octal escape gives the
/// byte itself, as the Latin-1 header text Tornado decodes holds it.
std::string unquote_cookie(std::string_view value) {
    if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::string(value);
    value = value.substr(1, value.size() - 2);
    std::string out;
    out.reserve(value.size());
    const auto octal = [](char c, char max) { return c >= '0' && c <= max; };
    for (std::size_t i = 0; i < value.size(); ++i) {
        // Python's pattern is \\(?:([0-3][0-7][0-7])|(.)), and '.' does not match a newline.
        if (value[i] != '\\' || i + 1 == value.size() || value[i + 1] == '\n') {
            out.push_back(value[i]);
            continue;
        }
        if (i + 3 < value.size() && octal(value[i + 1], '3') && octal(value[i + 2], '7') &&
            octal(value[i + 3], '7')) {
            out.push_back(static_cast<char>((value[i + 1] - '0') * 64 + (value[i + 2] - '0') * 8 +
                                            (value[i + 3] - '0')));
            i += 3;
        } else {
            out.push_back(value[++i]);
        }
    }
    return out;
}

}  // namespace

std::map<std::string, std::string, std::less<>> parse_cookie(std::string_view header) {
    std::map<std::string, std::string, std::less<>> cookies;
    for (std::size_t start = 0;;) {
        const auto semicolon = header.find(';', start);
        const std::string_view chunk = header.substr(
            start, semicolon == std::string_view::npos ? semicolon : semicolon - start);
        const auto equals = chunk.find('=');
        // A chunk without '=' is a value with an empty name (Mozilla bug 169091, as Tornado says).
        // Both are stripped as Python's str.strip() strips them.
        const auto strip = [](std::string_view s) {
            return escape::detail::strip(s, escape::detail::python_ascii_whitespace);
        };
        const std::string_view name =
            equals == std::string_view::npos ? std::string_view() : strip(chunk.substr(0, equals));
        const std::string_view value =
            strip(equals == std::string_view::npos ? chunk : chunk.substr(equals + 1));
        if (!name.empty() || !value.empty())
            cookies.insert_or_assign(std::string(name), unquote_cookie(value));
        if (semicolon == std::string_view::npos) break;
        start = semicolon + 1;
    }
    return cookies;
}

bool is_legal_cookie_name(std::string_view name) {
    static constexpr std::string_view punctuation = "!#$%&'*+-.^_`|~:";
    static constexpr std::array<std::string_view, 9> reserved{"expires",  "path",    "comment",
                                                              "domain",   "max-age", "secure",
                                                              "httponly", "version", "samesite"};
    if (name.empty()) return false;
    for (char c : name) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && punctuation.find(c) == std::string_view::npos) return false;
    }
    std::string lower(name);
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return std::find(reserved.begin(), reserved.end(), lower) == reserved.end();
}

}  // namespace typhoon::httputil
