#ifndef TYPHOON_CORE_DETAIL_XHTML_ESCAPE_HPP
#define TYPHOON_CORE_DETAIL_XHTML_ESCAPE_HPP

// The kernel under xhtml_escape(), installed so that the template engine can escape straight
// into its output buffer; it is not part of the API a user is promised.

#include <cstddef>
#include <string>
#include <string_view>

namespace typhoon::escape::detail {

/// Bytes xhtml_escape_into() may write for `size` bytes of any text: six per byte ("&quot;")
/// and the 16 its block stores may pass the end by.
constexpr std::size_t xhtml_escape_room(std::size_t size) noexcept {
    return size * 6 + 16;
}

/** Writes xhtml_escape(text) at `out` and returns the end of what it wrote. `out` must have
    room for xhtml_escape_room(text.size()) bytes, or for the escaped size plus 16: the bytes
    past the returned end may have been written to. */
char* xhtml_escape_into(char* out, std::string_view text) noexcept;

/// Appends xhtml_escape(text) to `out`.
void append_xhtml_escaped(std::string& out, std::string_view text);

}  // namespace typhoon::escape::detail

#endif
