#include "python_regex.hpp"

#include <typhoon/core/error.hpp>

namespace typhoon::web::detail {

namespace {

struct Translation {
    std::string boost_syntax;
    std::vector<std::string> group_names;
};

// What may follow "(?" in Python's re (3.11): a group's kind, a comment, a conditional, or flags.
bool is_python_extension(std::string_view after) {
    if (after.empty()) return false;
    const char kind = after[0];
    if (std::string_view(":=!#>(").find(kind) != std::string_view::npos) return true;
    if (kind == '<') return after.size() > 1 && (after[1] == '=' || after[1] == '!');
    if (kind == '-')
        return after.size() > 1 &&
               std::string_view("imsx").find(after[1]) != std::string_view::npos;
    return std::string_view("aiLmsux").find(kind) != std::string_view::npos;
}

// Rewrites what Python spells differently from Boost's Perl syntax: `(?P<name>` is `(?<name>`,
// `(?P=name)` is `\k<name>`, `\Z` is `\z`. Groups are counted on the way, since Boost does not
// list group names.
Translation translate(std::string_view pattern) {
    Translation out;
    bool in_class = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            const char next = pattern[++i];
            out.boost_syntax += next == 'Z' && !in_class ? "\\z" : std::string{'\\', next};
            continue;
        }
        if (in_class) {
            if (c == ']') in_class = false;
            out.boost_syntax += c;
            continue;
        }
        if (c == '[') {
            in_class = true;
            out.boost_syntax += c;
            // A ']' first in a class (or after '^') is a literal, not the end.
            if (i + 1 < pattern.size() && pattern[i + 1] == '^') out.boost_syntax += pattern[++i];
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') out.boost_syntax += pattern[++i];
            continue;
        }
        if (c != '(') {
            out.boost_syntax += c;
            continue;
        }
        const std::string_view rest = pattern.substr(i);
        if (rest.starts_with("(?P<")) {
            const auto close = pattern.find('>', i);
            if (close == std::string_view::npos) throw Error("unterminated group name");
            const auto name = std::string(pattern.substr(i + 4, close - i - 4));
            out.group_names.push_back(name);
            out.boost_syntax += "(?<" + name + ">";
            i = close;
        } else if (rest.starts_with("(?P=")) {
            const auto close = pattern.find(')', i);
            if (close == std::string_view::npos) throw Error("unterminated group reference");
            out.boost_syntax += "\\k<" + std::string(pattern.substr(i + 4, close - i - 4)) + ">";
            i = close;
        } else if (rest.starts_with("(?<") && !rest.starts_with("(?<=") &&
                   !rest.starts_with("(?<!")) {
            const auto close = pattern.find('>', i);
            if (close == std::string_view::npos) throw Error("unterminated group name");
            out.group_names.emplace_back(pattern.substr(i + 3, close - i - 3));
            out.boost_syntax += rest.substr(0, close - i + 1);
            i = close;
        } else if (rest.starts_with("(?")) {
            // Boost would also take Perl's recursion and subroutine calls, `(?1)`, `(?R)`,
            // `(?&name)`: Python has none, and they make matching a path exponential.
            if (!is_python_extension(rest.substr(2)))
                throw Error("unknown extension " + std::string(rest.substr(0, 3)));
            out.boost_syntax += c;  // non-capturing, look-around, flags: no group
        } else {
            out.group_names.emplace_back();
            out.boost_syntax += c;
        }
    }
    return out;
}

}  // namespace

PythonRegex::PythonRegex(std::string_view pattern) : source(pattern) {
    try {
        auto translation = translate(pattern);
        // no_mod_m: '^' and '$' match only at the ends, as in Python without re.MULTILINE.
        compiled =
            boost::regex(translation.boost_syntax, boost::regex::perl | boost::regex::no_mod_m);
        group_names = std::move(translation.group_names);
        group_count = static_cast<int>(compiled.mark_count());
    } catch (const std::exception& e) {
        throw Error("invalid regular expression " + std::string(pattern) + ": " + e.what());
    }
    if (group_count != static_cast<int>(group_names.size()))
        throw Error("invalid regular expression " + std::string(pattern) +
                    ": unsupported group syntax");
}

bool PythonRegex::match(std::string_view text,
                        boost::match_results<std::string_view::const_iterator>& groups) const {
    // Where Python's re backtracks for ever (`(a+)+b` on a long run of a's), Boost.Regex gives up
    // with regex_error (error_complexity, error_stack). The path is the client's, so that must be
    // an answer the router can give, not an exception: it does not match.
    try {
        return boost::regex_search(text.begin(), text.end(), groups, compiled,
                                   boost::match_continuous | boost::match_not_dot_newline);
    } catch (const boost::regex_error&) {
        return false;
    }
}

bool PythonRegex::match(std::string_view text) const {
    try {
        return boost::regex_search(text.begin(), text.end(), compiled,
                                   boost::match_continuous | boost::match_not_dot_newline);
    } catch (const boost::regex_error&) {
        return false;
    }
}

}  // namespace typhoon::web::detail
