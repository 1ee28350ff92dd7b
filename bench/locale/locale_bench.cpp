// Times tornado.locale's per-request calls in Typhoon on the files of libs/locale/test/data, as
// locale_bench.py does in Python. Prints "<name> <nanoseconds per call>" per line.
#include <typhoon/core/log.hpp>
#include <typhoon/locale.hpp>

#include "../common/time_it.hpp"

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    namespace locale = typhoon::locale;
    using namespace std::chrono_literals;
    const std::string data = argc > 1 ? argv[1] : "libs/locale/test/data";
    const auto now = std::chrono::system_clock::now();

    typhoon::log::clear_handlers();  // the test files hold bad rows on purpose: keep the output
                                     // clean
    locale::load_translations(data + "/csv");
    const locale::Locale csv = locale::Locale::get("fr");
    locale::load_gettext_translations(data + "/gettext", "typhoon");
    const locale::Locale ru = locale::Locale::get("ru");
    const locale::Locale fr = locale::Locale::get("fr");
    const locale::Locale en = locale::Locale::get("en_US");
    const std::vector<std::string> accept{"fr-CA", "en"};
    const std::vector<std::string> parts{"Ana", "Luis", "Marta"};

    typhoon_bench::time_it("translate_csv", [&] { return csv.translate("Sign out"); });
    typhoon_bench::time_it("translate_mo", [&] { return fr.translate("Sign out"); });
    typhoon_bench::time_it("ngettext_mo",
                           [&] { return ru.translate("%(n)d file", "%(n)d files", 21); });
    typhoon_bench::time_it("pgettext_mo", [&] { return fr.pgettext("law", "right"); });
    typhoon_bench::time_it("date_relative", [&] { return en.format_date(now - 5min); });
    typhoon_bench::time_it("date_full", [&] { return fr.format_date(now - 24h * 400); });
    typhoon_bench::time_it("format_day", [&] { return ru.format_day(now); });
    typhoon_bench::time_it("list", [&] { return fr.list(parts); });
    typhoon_bench::time_it("get_closest", [&] { return locale::get(accept).code(); });
}
