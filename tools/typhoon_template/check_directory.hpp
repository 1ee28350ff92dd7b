// What `typhoon-template check` reports: every template under a folder loaded as an
// application's Loader would load it, and each error as one line that editors and CI logs can
// jump to. Kept apart from main() so that the fuzz target of these diagnostics runs this code.
#ifndef TYPHOON_TOOLS_TYPHOON_TEMPLATE_CHECK_DIRECTORY_HPP
#define TYPHOON_TOOLS_TYPHOON_TEMPLATE_CHECK_DIRECTORY_HPP

#include <exception>
#include <string>
#include <vector>

namespace typhoon_template {

/// `name` as a path under `dir` (as it is when it is absolute).
std::string in_dir(const std::string& dir, const std::string& name);

/// A template error as `FILE:LINE: message` on one line (line breaks a message quotes from a
/// source written as `\n` and `\r`), FILE being `dir`/<template name>; empty for an exception
/// that is no template error.
std::string describe(const std::string& dir, const std::exception& e);

/// Loads every file under `dir` as a template, in name order, skipping hidden files and
/// folders; one diagnostic per distinct error, in that order. Throws std::invalid_argument when
/// `dir` is not a folder.
std::vector<std::string> check_directory(const std::string& dir);

}  // namespace typhoon_template

#endif
