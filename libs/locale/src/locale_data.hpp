// Private: what a Locale handle points at, and the catalogues behind it.
#ifndef TYPHOON_LOCALE_SRC_LOCALE_DATA_HPP
#define TYPHOON_LOCALE_SRC_LOCALE_DATA_HPP

#include <typhoon/locale/locale.hpp>
#include <typhoon/locale/plural_expression.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace typhoon::locale::detail {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
        return std::hash<std::string_view>{}(text);
    }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

/// One CSV file: Tornado's three dictionaries, keyed by plural indicator.
struct CsvCatalog {
    StringMap<std::string> unknown, singular, plural;
    bool empty() const noexcept { return unknown.empty() && singular.empty() && plural.empty(); }
};

/// One .mo file, as Python's GNUTranslations holds it.
struct MoCatalog {
    StringMap<std::string> messages;              // msgid -> msgstr
    StringMap<std::vector<std::string>> plurals;  // msgid -> msgstr[i]
    PluralExpression plural;

    const std::string* find(std::string_view msgid) const;
    const std::string* find_plural(std::string_view msgid, std::int64_t count) const;
};

/// The catalogue of a language followed by its fallbacks (pt_BR, then pt), as gettext chains them.
struct GettextChain {
    std::vector<std::shared_ptr<const MoCatalog>> catalogs;
    // Views into a catalogue, or the argument itself when untranslated.
    std::string_view gettext(std::string_view message) const;
    std::string_view ngettext(std::string_view message, std::string_view plural_message,
                              std::int64_t count) const;
};

using Translations = std::variant<CsvCatalog, GettextChain>;

struct LocaleData {
    std::string code;
    std::string name;
    bool rtl = false;
    std::shared_ptr<const Translations>
        translations;  // null: no translations (Tornado's empty CSVLocale)
    std::array<std::string, 12> months;
    std::array<std::string, 7> weekdays;
};

/// translate() without the copy: a view into the catalogue, or the argument when untranslated.
std::string_view translate_view(const LocaleData& data, std::string_view message);
std::string_view translate_view(const LocaleData& data, std::string_view message,
                                std::string_view plural_message, std::int64_t count);

/// Builds the data of `code`, translating the month and weekday names as Tornado's constructor
/// does.
std::shared_ptr<const LocaleData> build_locale_data(
    std::string code, std::shared_ptr<const Translations> translations);

/// One value of a Python `%` mapping: an integer or a string.
struct FormatArg {
    std::string_view key;
    std::variant<std::int64_t, std::string_view> value;
};

/** Python's `format % {"key": value, ...}` for the conversions translations use: `%(key)s`,
    `%(key)d` (also i, u, r) with flags, width and precision, and `%%`.
    @throws typhoon::Error where Python raises (unknown key, %d of a string, a lone %). */
std::string percent_format(std::string_view format, std::span<const FormatArg> args);

}  // namespace typhoon::locale::detail

#endif
