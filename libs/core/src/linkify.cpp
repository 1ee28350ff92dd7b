#include <typhoon/core/linkify.hpp>

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/escape.hpp>
#include <typhoon/core/utf8.hpp>

#include "unicode_tables.hpp"
#include "utf8_decoder.hpp"

#include <algorithm>
#include <optional>

// Tornado finds URLs with this Python pattern, applied to the HTML-escaped text:
//
//   \b((?:([\w-]+):(/{1,3})|www[.])
//      (?:(?:(?:[^\s&()]|&amp;|&quot;)*(?:[^!"#$%&'()*+,.:;<=>?@\[\]^`{|}~\s]))
//        |(?:\((?:[^\s&()]|&amp;|&quot;)*\)))+)
//
// The matcher below follows the same leftmost, greedy, backtracking semantics by hand, over UTF-8
// and with Python's Unicode \w and \s, so that links come out as Tornado's do.
namespace typhoon::escape {

namespace {

bool is_word(char32_t cp) {
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
               cp == '_';
    const auto& ranges = detail::non_ascii_word_ranges;
    const auto it =
        std::upper_bound(ranges.begin(), ranges.end(), cp,
                         [](char32_t value, const auto& range) { return value < range.first; });
    return it != ranges.begin() && cp <= std::prev(it)->last;
}

bool is_space(char32_t cp) {
    return is_unicode_space(cp);
}

struct Match {
    std::size_t begin, end;         // the whole URL, group 1
    std::size_t scheme_length = 0;  // group 2; 0 for "www."
    std::size_t slashes = 0;        // group 3
};

class UrlMatcher {
public:
    explicit UrlMatcher(std::string_view text) : text_(text), cps_(utf8_decode(text)) {
        // Positions in code points, with the byte offset of each, so that the pattern can be
        // matched on characters while the result is cut from the original bytes.
        offsets_.reserve(cps_.size() + 1);
        std::size_t pos = 0;
        for (std::size_t i = 0; i < cps_.size(); ++i) {
            offsets_.push_back(pos);
            pos += detail::decode_code_point(text_, pos).length;
        }
        offsets_.push_back(pos);
    }

    std::size_t size() const { return cps_.size(); }
    std::size_t byte_offset(std::size_t index) const { return offsets_[index]; }
    std::u32string_view code_points() const { return cps_; }

    /// The match starting at `start`, if the pattern matches there.
    std::optional<Match> match_at(std::size_t start) const {
        if (!at_word_boundary(start)) return std::nullopt;
        // First alternative: scheme ':' 1-3 slashes. [\w-]+ can only give way to ':' at its end.
        std::size_t i = start;
        while (i < size() && (is_word(cps_[i]) || cps_[i] == '-'))
            ++i;
        if (i > start && i < size() && cps_[i] == ':') {
            std::size_t slashes = 0;
            while (slashes < 3 && i + 1 + slashes < size() && cps_[i + 1 + slashes] == '/')
                ++slashes;
            for (; slashes >= 1; --slashes) {  // /{1,3} is greedy and backtracks
                if (const auto end = match_body(i + 1 + slashes))
                    return Match{start, *end, i - start, slashes};
            }
        }
        if (start + 4 <= size() && cps_[start] == 'w' && cps_[start + 1] == 'w' &&
            cps_[start + 2] == 'w' && cps_[start + 3] == '.') {
            if (const auto end = match_body(start + 4)) return Match{start, *end, 0, 0};
        }
        return std::nullopt;
    }

private:
    bool at_word_boundary(std::size_t i) const {
        const bool before = i > 0 && is_word(cps_[i - 1]);
        const bool after = i < size() && is_word(cps_[i]);
        return before != after;
    }

    /// One `(?:[^\s&()]|&amp;|&quot;)` token at i: its length, or 0.
    std::size_t token_at(std::size_t i) const {
        if (i >= size()) return 0;
        const char32_t c = cps_[i];
        if (c == '&') {
            if (matches(i, U"&amp;")) return 5;
            if (matches(i, U"&quot;")) return 6;
            return 0;
        }
        if (c == '(' || c == ')' || is_space(c)) return 0;
        return 1;
    }

    bool matches(std::size_t i, std::u32string_view literal) const {
        return std::u32string_view(cps_).substr(i, literal.size()) == literal;
    }

    static bool may_end_url(char32_t c) {
        static constexpr std::u32string_view punctuation = U"!\"#$%&'()*+,.:;<=>?@[\\]^`{|}~";
        return punctuation.find(c) == std::u32string_view::npos && !is_space(c);
    }

    /// The `(...)+` part: where it ends when it starts at `i`, or nullopt if it matches nothing.
    std::optional<std::size_t> match_body(std::size_t i) const {
        std::optional<std::size_t> end;
        for (;;) {
            // Branch one: tokens, then a character that may end a URL. Greedy tokens give back
            // until the last such character, which must be a one-character token itself.
            std::optional<std::size_t> branch_end;
            for (std::size_t j = i, n; (n = token_at(j)) != 0; j += n)
                if (n == 1 && may_end_url(cps_[j])) branch_end = j + 1;
            if (!branch_end && i < size() && cps_[i] == '(') {
                // Branch two: a parenthesised run of tokens.
                std::size_t j = i + 1;
                for (std::size_t n; (n = token_at(j)) != 0;)
                    j += n;
                if (j < size() && cps_[j] == ')') branch_end = j + 1;
            }
            if (!branch_end) return end;
            i = *branch_end;
            end = i;
        }
    }

    std::string_view text_;
    std::u32string cps_;
    std::vector<std::size_t> offsets_;
};

std::u32string_view prefix(std::u32string_view s, std::size_t n) {
    return s.substr(0, std::min(n, s.size()));
}

/// Tornado's display form of a long URL: host and a bit of the path, then "...".
std::u32string shorten_url(std::u32string_view url, std::size_t proto_length, bool& shortened) {
    constexpr std::size_t max_len = 30;
    std::u32string result(url);
    const std::u32string_view rest = url.substr(proto_length);
    if (const std::size_t slash = rest.find('/'); slash != std::u32string_view::npos) {
        // host "/" then the first path segment's first 8 characters, cut at '?' and '.'
        std::u32string_view segment = rest.substr(slash + 1);
        segment = segment.substr(0, segment.find('/'));
        segment = prefix(segment, 8);
        segment = segment.substr(0, segment.find('?'));
        segment = segment.substr(0, segment.find('.'));
        result = std::u32string(url.substr(0, proto_length + slash + 1)).append(segment);
    }
    if (result.size() * 2 > max_len * 3) result.resize(max_len);  // still longer than 1.5 * max_len
    shortened = result != url;
    if (shortened) {
        const std::size_t amp = result.rfind('&');  // avoid cutting an entity in half
        if (amp != std::u32string::npos && amp > max_len - 5) result.resize(amp);
        result += U"...";
        if (result.size() >= url.size()) {
            shortened = false;
            return std::u32string(url);
        }
    }
    return result;
}

}  // namespace

std::string linkify(std::string_view text, const LinkifyOptions& options) {
    const std::string escaped = xhtml_escape(text);
    const UrlMatcher matcher(escaped);
    const std::string fixed_params =
        options.extra_params.empty()
            ? std::string()
            : " " + to_valid_utf8(detail::strip_unicode(options.extra_params));

    std::string out;
    out.reserve(escaped.size() + escaped.size() / 4);
    std::size_t copied = 0;  // code points of `escaped` already in `out`
    for (std::size_t i = 0; i < matcher.size();) {
        const auto match = matcher.match_at(i);
        if (!match) {
            ++i;
            continue;
        }
        const auto bytes = [&](std::size_t from, std::size_t to) {
            return std::string_view(escaped).substr(
                matcher.byte_offset(from), matcher.byte_offset(to) - matcher.byte_offset(from));
        };
        out.append(bytes(copied, match->begin));
        copied = match->end;
        i = match->end > match->begin ? match->end : i + 1;

        const std::string_view url = bytes(match->begin, match->end);
        const std::string_view proto = bytes(match->begin, match->begin + match->scheme_length);
        const bool has_proto = match->scheme_length > 0;
        const bool permitted =
            std::find(options.permitted_protocols.begin(), options.permitted_protocols.end(),
                      proto) != options.permitted_protocols.end();
        if ((options.require_protocol && !has_proto) || (has_proto && !permitted)) {
            out.append(url);  // matched, but stays plain text
            continue;
        }
        const std::string href = has_proto ? std::string(url) : "http://" + std::string(url);
        std::string params =
            options.extra_params_for
                ? " " + to_valid_utf8(detail::strip_unicode(options.extra_params_for(href)))
                : fixed_params;

        std::string display(url);
        constexpr std::size_t max_len = 30;
        const std::u32string_view url_cps =
            matcher.code_points().substr(match->begin, match->end - match->begin);
        if (options.shorten && url_cps.size() > max_len) {
            const std::size_t proto_length =
                has_proto ? match->scheme_length + 1 + match->slashes : 0;
            bool shortened = false;
            display = utf8_encode(shorten_url(url_cps, proto_length, shortened));
            if (shortened) params += " title=\"" + href + "\"";
        }
        out += "<a href=\"" + href + "\"" + params + ">" + display + "</a>";
    }
    out.append(std::string_view(escaped).substr(matcher.byte_offset(copied)));
    return out;
}

}  // namespace typhoon::escape
