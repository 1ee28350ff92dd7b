// Private: Python's locale.locale_alias, which gettext consults before looking for catalogues.
#ifndef TYPHOON_LOCALE_SRC_LOCALE_ALIASES_HPP
#define TYPHOON_LOCALE_SRC_LOCALE_ALIASES_HPP

#include <string_view>

namespace typhoon::locale::detail {

/// The alias of a lower-case locale name without '.', '@' or ':' ("fr" -> "fr_FR.ISO8859-1"),
/// or an empty view when Python has none. The table is generated (locale_aliases.cpp).
std::string_view locale_alias(std::string_view lowercase_name) noexcept;

}  // namespace typhoon::locale::detail

#endif
