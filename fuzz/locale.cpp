// tornado.locale's readers on arbitrary bytes. The first byte picks what the rest is: a CSV
// translation file (read as UTF-8/BOM-detected, or as UTF-16), a gettext .mo catalogue, or a
// `plural=` expression. The loaders only read directories, so the file is written to a private
// temporary directory first. What loaded is then used as a handler would: translate() singular
// and plural, pgettext(), format_date(), list() and friendly_number(). Loading never throws for a
// bad file (it is reported and skipped); lookups throw only the typhoon::Error their
// declarations document (a plural rule dividing by zero, a translated format that does not fit).

#include "check.hpp"

#include <typhoon/core/error.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/locale/locale.hpp>
#include <typhoon/locale/plural_expression.hpp>
#include <typhoon/locale/translations.hpp>

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>

namespace fs = std::filesystem;
using namespace typhoon::locale;

namespace {

using fuzz_support::check;

const fs::path& scratch() {
    static const fs::path dir =
        fs::temp_directory_path() / ("typhoon-fuzz-locale-" + std::to_string(::getpid()));
    return dir;
}

void write_file(const fs::path& path, std::string_view content) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    check(out.good(), "cannot write the scratch file");
}

constexpr std::array<std::int64_t, 10> counts{
    0, 1, 2, 3, 5, 11, 21, 112, -1, std::numeric_limits<std::int64_t>::max()};

void use(const Locale& locale) {
    (void)locale.name();
    (void)locale.rtl();
    check(locale.translate("") == locale.translate(""), "translate is not deterministic");
    (void)locale.translate("Sign out");
    (void)locale.translate("Hello");
    for (const std::int64_t n : counts) {
        try {
            (void)locale.translate("%(n)d comment", "%(n)d comments", n);
            (void)locale.translate("1 second ago", "%(seconds)d seconds ago", n);
            (void)locale.pgettext("law", "right", "rights", n);
        } catch (const typhoon::Error&) {
        }
    }
    (void)locale.pgettext("organization", "club");
    (void)locale.pgettext("", "");
    using namespace std::chrono;
    const sys_days day = year(2021) / May / 3;
    // A fixed present, so that a finding replays with the same phrases.
    const system_clock::time_point now = day + days(7) + 12h;
    for (const system_clock::time_point when :
         {system_clock::time_point(day + 16h + 5min), now - 5s, now - 3min, now - 2h, now - 26h,
          now - 24h * 4, now + 24h * 400}) {
        try {
            (void)locale.format_date(when, {.now = now});
            (void)locale.format_date(when, {.gmt_offset = 120min, .shorter = true, .now = now});
            (void)locale.format_date(when, {.relative = false, .full_format = true, .now = now});
            (void)locale.format_day(when);
        } catch (const typhoon::Error&) {
        }
    }
    try {
        (void)locale.list({"a", "b", "c"});
        (void)locale.list({"a"});
    } catch (const typhoon::Error&) {
    }
    (void)locale.friendly_number(1234567);
}

void load_and_use(bool csv, const std::string& code) {
    if (csv)
        load_translations(scratch() / "csv");
    else
        load_gettext_translations(scratch() / "mo", "fuzz");
    for (const std::string& supported : get_supported_locales())
        use(Locale::get(supported));
    use(Locale::get_closest({code, "en_US"}));
}

void plural_expression(std::string_view text) {
    PluralExpression expression;
    try {
        expression = PluralExpression::parse(text);
    } catch (const PluralExpressionError&) {
        return;
    }
    check(text.size() <= 1000, "a plural expression over 1000 characters compiled");
    for (const std::int64_t n : counts) {
        try {
            const std::int64_t first = expression(n);
            check(expression(n) == first, "a plural expression is not deterministic");
        } catch (const typhoon::Error&) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    typhoon::log::clear_handlers();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::error_code ignored;
    fs::remove_all(scratch(), ignored);
    switch (data[0] % 4) {
        case 0:
            write_file(scratch() / "csv" / "es_LA.csv", content);
            load_and_use(true, "es_LA");
            break;
        case 1:
            // Tornado's other spellings of a locale file name, read with every encoding it names.
            write_file(scratch() / "csv" / "fr.csv", content);
            for (const char* encoding : {"utf-16", "utf-8-sig", "utf-16-le"}) {
                load_translations(scratch() / "csv", {.encoding = encoding});
                use(Locale::get_closest({"fr_FR", "en_US"}));
            }
            break;
        case 2:
            write_file(scratch() / "mo" / "fr" / "LC_MESSAGES" / "fuzz.mo", content);
            load_and_use(false, "fr_CA");
            break;
        default:
            plural_expression(content);
            break;
    }
    return 0;
}
