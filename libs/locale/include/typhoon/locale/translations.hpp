#ifndef TYPHOON_LOCALE_TRANSLATIONS_HPP
#define TYPHOON_LOCALE_TRANSLATIONS_HPP

#include <typhoon/locale/locale.hpp>

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

/** Loading translations and choosing the default locale (the module functions of tornado.locale).

    Thread-safety: load translations and set the default locale once at start-up, before threads
    serve requests; afterwards everything here is read-only. Loading again later is safe (the new
    set replaces the old one atomically and Locales already handed out keep their data) but
    pointless on a hot path. */
namespace typhoon::locale {

/// Separates a context from its message in gettext catalogues ("context\x04message").
inline constexpr std::string_view context_separator = "\x04";

/// The keyword arguments of tornado.locale.load_translations.
struct LoadTranslationsOptions {
    /** "utf-8", "utf-8-sig" (UTF-8 after an optional BOM) or "utf-16" (BOM decides the byte
        order; also "utf-16-le"/"utf-16-be"). Empty, as in Tornado, means: UTF-16 when the file
        starts with a UTF-16 BOM, else UTF-8 with an optional BOM, decided for each file. */
    std::string encoding{};
};

/** Replaces the loaded translations with Tornado's CSV files in `directory`: one file `LL.csv`
    or `LL_TT.csv` per locale (`es_LA.csv`), each row `"original","translation"` with an optional
    third column "plural", "singular" or "unknown"/empty (Excel's CSV dialect, so `""` inside
    quotes is a quote). Cells are stripped of surrounding white space; rows with fewer than two
    cells are skipped.

    A bad file never stops the others: a file name that is not a locale code, a file that cannot
    be read, a row with an unknown plural indicator or text that does not decode are reported on
    typhoon::log::gen_log with the file and line, and skipped.
    @throws typhoon::Error when `directory` cannot be listed or `options.encoding` is unknown. */
void load_translations(const std::filesystem::path& directory,
                       const LoadTranslationsOptions& options = {});

/** Replaces the loaded translations with gettext catalogues `directory/LL/LC_MESSAGES/domain.mo`
    (compiled by `msgfmt`), read directly: both byte orders, the charset of the catalogue's
    Content-Type (UTF-8, ASCII or ISO-8859-1), plural rules from its Plural-Forms. Each directory
    name goes through Python's gettext language expansion, so `pt_BR` falls back to the catalogue
    of `pt` when both exist, and `fr` reads `fr_FR`'s catalogue first when that exists too.
    A catalogue that cannot be read is reported on gen_log ("Cannot load translation for 'xx':
    ...") and skipped; a missing directory simply loads nothing. */
void load_gettext_translations(const std::filesystem::path& directory, std::string_view domain);

/// The codes that have translations, plus the default locale; sorted.
std::vector<std::string> get_supported_locales();

/** Makes `code` the default locale: the language of the untranslated strings, and what
    get_closest() returns when nothing matches. "en_US" until changed. */
void set_default_locale(std::string_view code);

///@{
/// tornado.locale.get(): the same as Locale::get_closest(codes).
Locale get(std::initializer_list<std::string_view> codes);
Locale get(std::span<const std::string> codes);
///@}

}  // namespace typhoon::locale

#endif
