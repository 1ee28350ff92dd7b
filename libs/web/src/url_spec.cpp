#include <typhoon/web/url_spec.hpp>

#include "python_regex.hpp"

#include <typhoon/core/error.hpp>
#include <typhoon/core/escape.hpp>

#include <algorithm>
#include <cctype>

namespace typhoon::web {

namespace detail {

struct PathPattern {
    explicit PathPattern(std::string written);

    std::string pattern;  // with the '$' Tornado appends
    PythonRegex regex;
    bool named = false;
    std::optional<std::string> literal;
    std::string prefix;
    // The reverse template: literal pieces with one group between each two.
    std::optional<std::vector<std::string>> reverse_pieces;
};

namespace {

constexpr std::string_view metacharacters = ".^$*+?{}[]|()";

bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// How many backslashes end `text`: an odd count escapes whatever follows them.
std::size_t trailing_backslashes(std::string_view text) {
    const auto last = text.find_last_not_of('\\');
    return last == std::string_view::npos ? text.size() : text.size() - last - 1;
}

// "\\$" ends in an anchor; "\$" ends in a literal dollar sign, so the pattern is not anchored yet.
bool ends_with_anchor(std::string_view pattern) {
    return pattern.ends_with('$') &&
           trailing_backslashes(pattern.substr(0, pattern.size() - 1)) % 2 == 0;
}

std::string_view strip_anchors(std::string_view pattern) {
    if (pattern.starts_with('^')) pattern.remove_prefix(1);
    if (ends_with_anchor(pattern)) pattern.remove_suffix(1);
    return pattern;
}

// Tornado's re_unescape: "\x" is x for a non-alphanumeric x; "\d" and the like have no literal
// meaning, so the pattern is not a literal (std::nullopt).
std::optional<std::string> re_unescape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            if (is_alnum(text[i + 1])) return std::nullopt;
            out += text[++i];
        } else {
            out += text[i];
        }
    }
    return out;
}

std::optional<std::string> literal_of(std::string_view pattern) {
    const std::string_view body = strip_anchors(pattern);
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\\') {
            ++i;
            continue;
        }
        if (metacharacters.find(body[i]) != std::string_view::npos) return std::nullopt;
    }
    return re_unescape(body);
}

// The literal characters every match starts with; "" when alternation makes that unknowable.
std::string prefix_of(std::string_view pattern) {
    const std::string_view body = pattern.starts_with('^') ? pattern.substr(1) : pattern;
    if (body.find('|') != std::string_view::npos) return {};
    std::string prefix;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (std::string_view("*?+{").find(c) != std::string_view::npos) {
            if (!prefix.empty()) prefix.pop_back();  // the last character was optional
            break;
        }
        if (metacharacters.find(c) != std::string_view::npos) break;
        if (c == '\\') {
            if (i + 1 >= body.size() || is_alnum(body[i + 1])) break;
            prefix += body[++i];
            continue;
        }
        prefix += c;
    }
    return prefix;
}

// Tornado's PathMatches._find_groups: only patterns whose every '(' opens a group, and whose
// literal parts unescape, can be reversed.
std::optional<std::vector<std::string>> reverse_pieces_of(std::string_view pattern,
                                                          int group_count) {
    const std::string_view body = strip_anchors(pattern);
    if (std::count(body.begin(), body.end(), '(') != group_count) return std::nullopt;
    std::vector<std::string> pieces;
    std::size_t start = 0;
    bool first = true;
    for (;;) {
        const auto open = body.find('(', start);
        std::string_view fragment = body.substr(
            start, open == std::string_view::npos ? std::string_view::npos : open - start);
        if (!first) {
            const auto close = fragment.find(')');
            if (close == std::string_view::npos) return std::nullopt;
            fragment.remove_prefix(close + 1);
        }
        auto unescaped = re_unescape(fragment);
        if (!unescaped) return std::nullopt;
        pieces.push_back(std::move(*unescaped));
        if (open == std::string_view::npos) break;
        start = open + 1;
        first = false;
    }
    return pieces;
}

// Tornado appends '$' to a pattern that does not end with one. A pattern ending in a lone
// backslash is refused first, as Python's re refuses it: the appended '$' would turn into an
// escaped dollar sign and leave the route unanchored.
std::string with_end_anchor(std::string pattern) {
    if (trailing_backslashes(pattern) % 2 != 0)
        throw Error("a url pattern cannot end with a lone backslash: " + pattern);
    if (!ends_with_anchor(pattern)) pattern += '$';
    return pattern;
}

}  // namespace

PathPattern::PathPattern(std::string written)
    : pattern(with_end_anchor(std::move(written))), regex(pattern) {
    const auto named_groups = std::count_if(regex.group_names.begin(), regex.group_names.end(),
                                            [](const std::string& n) { return !n.empty(); });
    if (named_groups != 0 && named_groups != regex.group_count)
        throw Error("groups in url regexes must either be all named or all positional: " + pattern);
    named = named_groups != 0;
    if (regex.group_count == 0) literal = literal_of(pattern);
    prefix = prefix_of(pattern);
    reverse_pieces = reverse_pieces_of(pattern, regex.group_count);
}

}  // namespace detail

URLSpec::URLSpec(std::string pattern, HandlerFactory handler, URLSpecOptions options)
    : pattern_(std::make_shared<const detail::PathPattern>(std::move(pattern))),
      handler_(std::move(handler)),
      name_(std::move(options.name)) {}

const std::string& URLSpec::pattern() const noexcept {
    return pattern_->pattern;
}

const std::optional<std::string>& URLSpec::literal_path() const noexcept {
    return pattern_->literal;
}

const std::string& URLSpec::literal_prefix() const noexcept {
    return pattern_->prefix;
}

std::optional<URLSpec::Match> URLSpec::match(std::string_view path) const {
    const auto& p = *pattern_;
    if (p.literal) {
        if (path != *p.literal) return std::nullopt;
        return Match{};
    }
    if (!path.starts_with(p.prefix)) return std::nullopt;
    boost::match_results<std::string_view::const_iterator> groups;
    if (!p.regex.match(path, groups)) return std::nullopt;
    Match found;
    for (int i = 1; i <= p.regex.group_count; ++i) {
        std::string value;
        if (groups[i].matched)
            value = escape::url_unescape(std::string_view(groups[i].first, groups[i].second),
                                         {.plus = false, .decode_utf8 = false});
        if (p.named)
            found.kwargs.insert_or_assign(p.regex.group_names[static_cast<std::size_t>(i - 1)],
                                          std::move(value));
        else
            found.args.push_back(std::move(value));
    }
    return found;
}

std::string URLSpec::reverse(const std::vector<std::string>& args) const {
    const auto& p = *pattern_;
    if (!p.reverse_pieces) throw Error("Cannot reverse url regex " + p.pattern);
    if (static_cast<int>(args.size()) != p.regex.group_count)
        throw Error("reverse of " + p.pattern + " needs " + std::to_string(p.regex.group_count) +
                    " arguments, got " + std::to_string(args.size()));
    std::string path = p.reverse_pieces->front();
    for (std::size_t i = 0; i < args.size(); ++i)
        path += escape::url_escape(args[i], {.plus = false}) + (*p.reverse_pieces)[i + 1];
    return path;
}

}  // namespace typhoon::web
