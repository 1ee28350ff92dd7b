#include "header_params.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/escape.hpp>
#include <typhoon/core/utf8.hpp>

#include <algorithm>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace typhoon::httputil::detail {

namespace {

std::size_t count(std::string_view s, std::string_view needle) {
    std::size_t n = 0;
    for (auto pos = s.find(needle); pos != std::string_view::npos;
         pos = s.find(needle, pos + needle.size()))
        ++n;
    return n;
}

/// The ';'-separated pieces after the first ';', where a ';' between unescaped quotes does not
/// split (Python's cgi._parseparam, as Tornado's _parse_header uses it). Quotes are counted once
/// per byte, so a header full of ';' and '"' costs linear time, not quadratic.
std::vector<std::string_view> split_params(std::string_view s) {
    std::vector<std::string_view> pieces;
    while (!s.empty() && s.front() == ';') {
        s.remove_prefix(1);
        auto end = s.find(';');
        std::size_t scanned = 0, quotes = 0;
        while (end != std::string_view::npos && end > 0) {
            const std::string_view chunk = s.substr(scanned, end - scanned);
            quotes += count(chunk, "\"") - count(chunk, "\\\"");
            scanned = end;
            if (quotes % 2 == 0) break;
            end = s.find(';', end + 1);
        }
        if (end == std::string_view::npos) end = s.size();
        pieces.push_back(escape::detail::strip(s.substr(0, end)));
        s.remove_prefix(end);
    }
    return pieces;
}

/// email.utils.unquote: strips one pair of double quotes (unescaping \\ and \") or angle brackets.
std::string email_unquote(std::string_view s) {
    if (s.size() > 1 && s.front() == '"' && s.back() == '"') {
        std::string out;
        s = s.substr(1, s.size() - 2);
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '\\' || s[i + 1] == '"')) ++i;
            out.push_back(s[i]);
        }
        return out;
    }
    if (s.size() > 1 && s.front() == '<' && s.back() == '>')
        return std::string(s.substr(1, s.size() - 2));
    return std::string(s);
}

/// email.utils.quote: escapes backslashes and double quotes.
std::string email_quote(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == '"') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

/// Bytes in `charset` as UTF-8, for the charsets forms use; std::nullopt for others.
std::optional<std::string> decode_charset(std::string_view charset, std::string_view bytes) {
    std::string name;
    for (char c : charset)
        if (c != '-' && c != '_')
            name.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    if (name == "utf8") return escape::to_valid_utf8(bytes);
    if (name == "latin1" || name == "iso88591" || name == "l1") {
        std::string out;
        for (char c : bytes)
            escape::append_utf8(out, static_cast<unsigned char>(c));
        return out;
    }
    if (name == "ascii" || name == "usascii") {
        std::string out;
        for (char c : bytes) {
            if (static_cast<unsigned char>(c) < 0x80)
                out.push_back(c);
            else
                out += escape::replacement_character;
        }
        return out;
    }
    return std::nullopt;
}

struct Continuation {
    int number;  // -1 for a bare `name*`
    std::string value;
    bool encoded;
    bool operator<(const Continuation& other) const {
        return std::tie(number, value, encoded) <
               std::tie(other.number, other.value, other.encoded);
    }
};

/// Matches `name*`, `name*3` and `name*3*` (RFC 2231 §3-4): the base name and the continuation.
std::optional<std::pair<std::string, Continuation>> as_continuation(std::string_view name,
                                                                    std::string value) {
    const auto star = name.find('*');
    if (star == 0 || star == std::string_view::npos) return std::nullopt;
    const std::string_view base = name.substr(0, star);
    const bool word = std::all_of(base.begin(), base.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
    if (!word) return std::nullopt;
    std::string_view rest = name.substr(star + 1);
    int number = -1;
    if (!rest.empty()) {
        std::size_t digits = 0;
        while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
            ++digits;
        if (digits == 0 || digits > 6) return std::nullopt;
        number = std::stoi(std::string(rest.substr(0, digits)));
        rest.remove_prefix(digits);
        if (!rest.empty() && rest != "*") return std::nullopt;
    }
    return std::pair{std::string(base), Continuation{number, std::move(value), name.back() == '*'}};
}

}  // namespace

ParsedHeaderValue parse_header_value(std::string_view line) {
    const std::string with_separator = ";" + std::string(line);
    const auto pieces = split_params(with_separator);
    ParsedHeaderValue parsed;
    if (pieces.empty()) return parsed;
    parsed.value = std::string(pieces.front());

    std::vector<std::pair<std::string, std::string>> plain;
    std::vector<std::pair<std::string, std::vector<Continuation>>> extended;  // in first-seen order
    std::unordered_map<std::string, std::size_t> extended_index;  // name → its place in extended
    for (std::size_t i = 1; i < pieces.size(); ++i) {
        const auto equals = pieces[i].find('=');
        if (equals == std::string_view::npos) continue;
        const std::string name =
            escape::detail::ascii_lower(escape::detail::strip(pieces[i].substr(0, equals)));
        std::string value = email_unquote(escape::detail::strip(pieces[i].substr(equals + 1)));
        if (auto continuation = as_continuation(name, value)) {
            // Looked up by hash: a search of `extended` made 64 KiB of distinct names quadratic.
            const auto [found, added] =
                extended_index.try_emplace(continuation->first, extended.size());
            if (added) extended.emplace_back(continuation->first, std::vector<Continuation>{});
            extended[found->second].second.push_back(std::move(continuation->second));
        } else {
            plain.emplace_back(name, std::move(value));
        }
    }

    for (auto& [name, value] : plain)
        parsed.params[name] = std::move(value);
    // RFC 2231 parameters come after the plain ones, so `filename*` wins over `filename`.
    for (auto& [name, continuations] : extended) {
        std::sort(continuations.begin(), continuations.end());
        std::string joined;
        bool any_encoded = false;
        for (const auto& c : continuations) {
            if (c.encoded) {
                joined += escape::url_unescape(c.value, {.plus = false, .decode_utf8 = false});
                any_encoded = true;
            } else {
                joined += c.value;
            }
        }
        std::string value = joined;
        if (any_encoded) {
            // charset'language'text. Without both quotes there is no charset and Python falls
            // back to us-ascii; a charset it does not know (even an empty one) leaves the text
            // as it is, which for us means Latin-1 unless it is already UTF-8.
            const auto first_tick = joined.find('\'');
            const auto second_tick =
                first_tick == std::string::npos ? first_tick : joined.find('\'', first_tick + 1);
            const bool has_charset = second_tick != std::string::npos;
            const std::string_view charset =
                has_charset ? std::string_view(joined).substr(0, first_tick) : "ascii";
            const std::string_view text =
                has_charset ? std::string_view(joined).substr(second_tick + 1) : joined;
            // Python quotes the text before decoding it and never unquotes it again, so a '"' or
            // '\\' in a decoded value keeps the backslash that quoting gave it.
            if (auto decoded = decode_charset(charset, email_quote(text)))
                value = std::move(*decoded);
            else if (escape::is_valid_utf8(text))
                value = std::string(text);
            else
                value = *decode_charset("latin-1", text);
        }
        parsed.params[name] = std::move(value);
    }
    for (auto& [name, value] : parsed.params)
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
    return parsed;
}

}  // namespace typhoon::httputil::detail
