#ifndef TYPHOON_WEB_SRC_ARGUMENTS_HPP
#define TYPHOON_WEB_SRC_ARGUMENTS_HPP

#include <string>
#include <string_view>

namespace typhoon::web::detail {

/// Tornado's decode_argument: `value` if it is UTF-8; otherwise HTTPError(400) naming `name`
/// and the start of the value.
std::string decode_argument(std::string value, std::string_view name);

}  // namespace typhoon::web::detail

#endif
