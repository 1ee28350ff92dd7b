#ifndef TYPHOON_CORE_UTF8_HPP
#define TYPHOON_CORE_UTF8_HPP

#include <string>
#include <string_view>

/// UTF-8 helpers: Typhoon's strings are UTF-8 bytes where Python's are code points, and these are
/// the places where the difference shows.
namespace typhoon::escape {

/// The replacement character U+FFFD that stands for invalid input, in UTF-8.
inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

/// `text` with each maximal invalid subsequence replaced by U+FFFD: the same result as Python's
/// `bytes.decode("utf-8", errors="replace")`.
std::string to_valid_utf8(std::string_view text);

/// Decodes `text` into code points, invalid subsequences becoming U+FFFD as in to_valid_utf8().
std::u32string utf8_decode(std::string_view text);

/// Encodes code points as UTF-8; a surrogate or a value past U+10FFFF becomes U+FFFD.
std::string utf8_encode(std::u32string_view code_points);

/// Appends one code point to `out` as UTF-8, with utf8_encode()'s rule for invalid ones.
void append_utf8(std::string& out, char32_t code_point);

/// True for the code points Python's `str.isspace()` accepts, which `str.strip()` removes.
bool is_unicode_space(char32_t code_point) noexcept;

}  // namespace typhoon::escape

#endif
