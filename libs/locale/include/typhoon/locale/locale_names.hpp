#ifndef TYPHOON_LOCALE_LOCALE_NAMES_HPP
#define TYPHOON_LOCALE_LOCALE_NAMES_HPP

#include <span>
#include <string_view>

namespace typhoon::locale {

/// One row of Tornado's `LOCALE_NAMES`: a locale code with its English and native names.
struct LocaleName {
    std::string_view code;     ///< "zh_CN"
    std::string_view name_en;  ///< "Chinese (Simplified)"
    std::string_view name;     ///< "中文(简体)", UTF-8: what `Locale::name()` returns
};

/// Every row of the table Tornado ships (tornado._locale_data.LOCALE_NAMES), sorted by code.
std::span<const LocaleName> locale_names() noexcept;

/// The row for exactly `code` (no fallback from "fr" to "fr_FR"), or nullptr.
const LocaleName* find_locale_name(std::string_view code) noexcept;

}  // namespace typhoon::locale

#endif
