#ifndef TYPHOON_CORE_SRC_UTF8_DECODER_HPP
#define TYPHOON_CORE_SRC_UTF8_DECODER_HPP

#include <cstddef>
#include <string_view>

namespace typhoon::escape::detail {

inline constexpr char32_t replacement_code_point = 0xFFFD;

struct DecodedCodePoint {
    char32_t code_point;  ///< U+FFFD when !valid
    std::size_t length;   ///< bytes consumed, at least 1
    bool valid;
};

/// Decodes the code point starting at `text[pos]` (precondition: pos < text.size()). An invalid
/// sequence consumes its maximal subpart, so callers replace it by exactly one U+FFFD as Python
/// does.
DecodedCodePoint decode_code_point(std::string_view text, std::size_t pos) noexcept;

}  // namespace typhoon::escape::detail

#endif
