#ifndef TYPHOON_LOCALE_HPP
#define TYPHOON_LOCALE_HPP

/// Everything `import tornado.locale` gives: translations from CSV or gettext files, locale
/// choice, and localised dates, lists and numbers.
#include <typhoon/locale/locale.hpp>
#include <typhoon/locale/locale_names.hpp>
#include <typhoon/locale/plural_expression.hpp>
#include <typhoon/locale/translations.hpp>

#endif
