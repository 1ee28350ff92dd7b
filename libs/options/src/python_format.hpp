#ifndef TYPHOON_OPTIONS_SRC_PYTHON_FORMAT_HPP
#define TYPHOON_OPTIONS_SRC_PYTHON_FORMAT_HPP

#include <typhoon/options/option_value.hpp>

#include <string>
#include <string_view>

/// How Python writes values, for messages and --help: str() and repr() (core's python_repr()
/// writes that of a str).
namespace typhoon::options::python {

/// str() of a value: 8000, 0.5, True, 0:00:45, 2023-01-15 00:00:00, ['a', 'b'], None.
std::string str(const Scalar& value);
std::string str(const Value& value);
/// repr() of a value (items of a list are written this way).
std::string repr_value(const Scalar& value);

}  // namespace typhoon::options::python

#endif
