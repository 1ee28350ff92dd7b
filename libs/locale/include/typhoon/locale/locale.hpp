#ifndef TYPHOON_LOCALE_LOCALE_HPP
#define TYPHOON_LOCALE_LOCALE_HPP

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace typhoon::locale {

class Locale;
namespace detail {
struct LocaleData;
Locale make_locale(std::shared_ptr<const LocaleData> data) noexcept;
}  // namespace detail

/// Options of Locale::format_date(), Tornado's keyword arguments of the same names.
struct FormatDateOptions {
    /// Minutes to subtract from UTC to reach the reader's time, as in Tornado (and JavaScript's
    /// `getTimezoneOffset()`): 120 is two hours *behind* UTC, -60 is UTC+1.
    std::chrono::minutes gmt_offset{0};
    /// "2 minutes ago", "yesterday at ..."; false gives an absolute date.
    bool relative = true;
    /// Drops the time of day: "yesterday", "Monday", "May 3".
    bool shorter = false;
    /// Always "May 3, 2024 at 1:05 pm", however recent the date.
    bool full_format = false;
    /// The present, for tests and reproducible output; the system clock when unset (Tornado
    /// always reads `datetime.utcnow()`).
    std::optional<std::chrono::system_clock::time_point> now{};
};

/// Options of Locale::format_day().
struct FormatDayOptions {
    std::chrono::minutes gmt_offset{0};  ///< as FormatDateOptions::gmt_offset
    bool dow = true;                     ///< start with the day of week: "Monday, January 22"
};

/** A language to translate and format into (tornado.locale.Locale). Obtain one with
    Locale::get_closest() (or locale::get()) after loading translations (translations.hpp).

    A Locale is a cheap handle to immutable data: copy it freely and use it from any thread.
    Loading translations again does not change Locales already obtained.

        auto fr = typhoon::locale::Locale::get_closest({"fr_CA", "en_US"});
        fr.translate("Sign out");                                       // "Se déconnecter"
        fr.translate("%(n)d comment", "%(n)d comments", 5);             // plural form for 5
        fr.format_date(posted, {.gmt_offset = -60min});                 // "il y a 2 minutes"
*/
class Locale {
public:
    /** The Locale of exactly `code`.
        @throws typhoon::Error when `code` is not among get_supported_locales() (Tornado asserts).
     */
    static Locale get(std::string_view code);

    ///@{
    /** The first of `codes` that is supported, trying each code as "ll_TT" then as its language
        "ll" ("fr-ca" and "fr_CA" find "fr_CA", then "fr"), else the default locale. Empty codes
        and codes with more than one "_" or "-" are passed over. */
    static Locale get_closest(std::initializer_list<std::string_view> codes);
    static Locale get_closest(std::span<const std::string_view> codes);
    static Locale get_closest(std::span<const std::string> codes);
    ///@}

    /// The code it was loaded under: "fr_CA", "pt_BR", "en_US".
    const std::string& code() const noexcept;
    /// Its native name from Tornado's LOCALE_NAMES ("Français"), "Unknown" when not listed.
    const std::string& name() const noexcept;
    /// True for right-to-left scripts: codes starting with "fa", "ar" or "he".
    bool rtl() const noexcept;

    /// The translation of `message`, or `message` itself when there is none.
    std::string translate(std::string_view message) const;
    /** The singular or plural translation for `count`. CSV translations choose `message` when
        count == 1 and `plural_message` otherwise; gettext catalogues apply their Plural-Forms
        rule. Untranslated, the result is `message` for 1 and `plural_message` for anything else.
        @throws typhoon::Error if a catalogue's plural rule divides by zero for `count`. */
    std::string translate(std::string_view message, std::string_view plural_message,
                          std::int64_t count) const;

    ///@{
    /** The translation of `message` in `context` (gettext's msgctxt), singular or plural as
        translate() chooses: gettext catalogues are
        searched for "context\x04message" as Tornado does, falling back to the bare message
        untranslated. CSV files have no context column: as in Tornado, the context is ignored
        (with a warning on gen_log) unless the CSV has a row for "context\x04message". */
    std::string pgettext(std::string_view context, std::string_view message) const;
    std::string pgettext(std::string_view context, std::string_view message,
                         std::string_view plural_message, std::int64_t count) const;
    ///@}

    /** `date` (a UTC instant) for a reader at `gmt_offset`, as Tornado words it: "5 seconds ago",
        "3 minutes ago", "2 hours ago", "yesterday at 4:05 pm", "Monday at 16:05",
        "May 3 at 4:05 pm", "May 3, 2021 at 4:05 pm". Dates in the future print in full, except
        that up to a minute of clock skew counts as now. Clocks are 12-hour for "en", "en_US"
        and "zh_CN" and 24-hour elsewhere. Every phrase, month and weekday name goes through
        translate().
        @throws typhoon::Error if a translated phrase is not a valid Python `%` format for the
        values it receives, or the local date falls outside years 1..9999 (Python's limits). */
    std::string format_date(std::chrono::system_clock::time_point date,
                            const FormatDateOptions& options = {}) const;

    /// "Monday, January 22" (or "January 22" with `.dow = false`) for the reader's local date.
    std::string format_day(std::chrono::system_clock::time_point date,
                           const FormatDayOptions& options = {}) const;

    ///@{
    /// "A, B and C", "A and B" or "A" (the "and" phrase translated; Persian joins with " و ").
    std::string list(std::span<const std::string> parts) const;
    std::string list(std::span<const std::string_view> parts) const;
    std::string list(std::initializer_list<std::string_view> parts) const;
    ///@}

    /// "1,234,567" for English locales ("en", "en_US"); plain digits for every other locale.
    std::string friendly_number(std::int64_t value) const;

private:
    friend Locale detail::make_locale(std::shared_ptr<const detail::LocaleData> data) noexcept;
    explicit Locale(std::shared_ptr<const detail::LocaleData> data) noexcept;

    std::shared_ptr<const detail::LocaleData> data_;
};

}  // namespace typhoon::locale

#endif
