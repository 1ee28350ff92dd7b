#ifndef TYPHOON_HTTP_SRC_HEADER_PARAMS_HPP
#define TYPHOON_HTTP_SRC_HEADER_PARAMS_HPP

#include <map>
#include <string>
#include <string_view>

namespace typhoon::httputil::detail {

struct ParsedHeaderValue {
    std::string value;                          ///< "form-data" of `form-data; name="a"`
    std::map<std::string, std::string> params;  ///< names lowered, values unquoted and decoded
};

/** Splits a Content-Type-like value into its main value and parameters as Tornado's _parse_header
    does: ';' inside quotes does not split, quoted values are unescaped, and RFC 2231 parameters
    (`name*=charset'lang'%XX`, continuations `name*0`, `name*1*`) are joined and decoded. */
ParsedHeaderValue parse_header_value(std::string_view line);

}  // namespace typhoon::httputil::detail

#endif
