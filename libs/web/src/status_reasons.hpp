#ifndef TYPHOON_WEB_SRC_STATUS_REASONS_HPP
#define TYPHOON_WEB_SRC_STATUS_REASONS_HPP

#include <string_view>

namespace typhoon::web::detail {

/** Refuses a reason phrase the status line cannot carry: RFC 9112 §4 allows tabs, spaces,
    visible ASCII and bytes of 0x80 and above; a CR or LF would end the status line early and let
    the text that follows forge headers or a body (response splitting).
    @throws std::invalid_argument naming the first character refused and where it is. */
void check_reason_phrase(std::string_view reason);

}  // namespace typhoon::web::detail

#endif
