#ifndef TYPHOON_WEB_SRC_STATUS_REASONS_HPP
#define TYPHOON_WEB_SRC_STATUS_REASONS_HPP

#include <string_view>

namespace typhoon::web::detail {

/// The standard reason phrase of `code` as Python's http.client.responses has it (the table
/// Tornado uses), or "Unknown".
std::string_view status_reason(int code) noexcept;

}  // namespace typhoon::web::detail

#endif
