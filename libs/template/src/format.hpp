#ifndef TYPHOON_TEMPLATE_SRC_FORMAT_HPP
#define TYPHOON_TEMPLATE_SRC_FORMAT_HPP

#include "value.hpp"

#include <string>
#include <string_view>

namespace typhoon::templates::detail {

/// `format % args`: printf-style formatting as Python's str.__mod__ does it.
std::string printf_format(std::string_view format, const Value& args);
/// printf_format() appending to `out`.
void printf_format_to(std::string& out, std::string_view format, const Value& args);
/** Writes `"%.<precision>f" % value` at `out` (room for 32 bytes), as printf_format_to() writes
    it, and returns its end; nullptr, leaving it to printf_format_to(), unless the value is finite
    and below 1e15 and the precision at most 3. */
char* fixed_into(char* out, double value, int precision) noexcept;
/// `format.format(*args, **kwargs)`.
std::string str_format(std::string_view format, Args args, Kwargs kwargs);

}  // namespace typhoon::templates::detail

#endif
