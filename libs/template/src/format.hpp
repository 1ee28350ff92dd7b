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
/** `"%.<precision>f" % value` appended to `out`, as printf_format_to() writes it; false (and
    nothing written) for infinities and NaN, which it leaves to printf_format_to(). */
bool append_fixed(std::string& out, double value, int precision);
/// `format.format(*args, **kwargs)`.
std::string str_format(std::string_view format, Args args, Kwargs kwargs);

}  // namespace typhoon::templates::detail

#endif
