#ifndef TYPHOON_WEB_SRC_PYTHON_REGEX_HPP
#define TYPHOON_WEB_SRC_PYTHON_REGEX_HPP

#include <boost/regex.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace typhoon::web::detail {

/** A regular expression written in Python's `re` syntax, compiled once with Boost.Regex (whose
    Perl syntax is close to Python's; the few spellings that differ are rewritten). */
struct PythonRegex {
    /// @throws typhoon::Error naming `pattern` when it does not compile.
    explicit PythonRegex(std::string_view pattern);

    /// Python's `re.match`: anchored at the start, not necessarily at the end.
    bool match(std::string_view text,
               boost::match_results<std::string_view::const_iterator>& groups) const;
    bool match(std::string_view text) const;

    std::string source;  // as the user wrote it
    boost::regex compiled;
    int group_count = 0;
    /// For each group, its name, or "" for a positional one.
    std::vector<std::string> group_names;
};

}  // namespace typhoon::web::detail

#endif
