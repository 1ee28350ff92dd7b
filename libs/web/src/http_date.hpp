#ifndef TYPHOON_WEB_SRC_HTTP_DATE_HPP
#define TYPHOON_WEB_SRC_HTTP_DATE_HPP

#include <string_view>

namespace typhoon::web::detail {

/// The Date header value for now, formatted at most once per second per thread.
std::string_view current_http_date();
/// "TyphoonServer/<version>".
std::string_view server_header_value() noexcept;

}  // namespace typhoon::web::detail

#endif
