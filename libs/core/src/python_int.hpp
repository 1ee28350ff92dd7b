#ifndef TYPHOON_CORE_SRC_PYTHON_INT_HPP
#define TYPHOON_CORE_SRC_PYTHON_INT_HPP

#include <cstdint>
#include <optional>
#include <string_view>

namespace typhoon::escape::detail {

/** Python's `int(text, base)` for base 10 or 16 over ASCII: digits with single underscores
    between them, and for base 16 an optional `0x` prefix (which may be followed by one
    underscore). std::nullopt where Python raises ValueError, and for values that do not fit in
    64 bits (callers only care whether the value is a code point). */
std::optional<std::uint64_t> parse_python_int(std::string_view text, int base) noexcept;

}  // namespace typhoon::escape::detail

#endif
