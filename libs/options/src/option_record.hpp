#ifndef TYPHOON_OPTIONS_SRC_OPTION_RECORD_HPP
#define TYPHOON_OPTIONS_SRC_OPTION_RECORD_HPP

#include <typhoon/options/option_parser.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace typhoon::options {

/// One defined option (tornado.options._Option).
class OptionRecord {
public:
    std::string name;        ///< as defined
    std::string normalized;  ///< "_" replaced by "-", the key of the parser
    ValueSpec spec;
    Value default_value;
    Value value;  ///< the current value; starts as the default
    std::string help;
    std::string metavar;
    std::string group;
    std::string file_name;  ///< where define() was called ("" for the parser's own --help)
    unsigned line = 0;
    std::function<void(const Value&)> callback;
};

struct OptionParser::Impl {
    std::map<std::string, std::unique_ptr<OptionRecord>, std::less<>> by_name;  // normalized
    std::vector<OptionRecord*> in_order;
    std::vector<std::function<void()>> parse_callbacks;
    std::string program_name;
};

/// Tornado's _normalize_name: "log_file_prefix" -> "log-file-prefix".
std::string normalize_name(std::string_view name);

/// Parses one command-line or config-file string into the option's value, as _Option.parse:
/// a `multiple` option splits on "," and expands integer ranges "1:3".
/// @throws Error "Invalid value '<text>' for option '<name>': <reason>".
Value parse_option_text(const OptionRecord& record, std::string_view text);

/// Stores `value` and runs the callback (parse and set both end here).
void store(OptionRecord& record, Value value);

}  // namespace typhoon::options

#endif
