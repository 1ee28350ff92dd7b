// locale_demo: Tornado's CSV translations in Typhoon. Picks the closest locale to the codes given
// (as a browser's Accept-Language would), then translates, pluralises and formats dates with it.
//
//   tools/run locale_demo es-LA en
#include <typhoon/locale.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    namespace locale = typhoon::locale;
    using namespace std::chrono;
    using namespace std::chrono_literals;

    // Loaded once at start-up; read-only (and safe to share between threads) afterwards.
    locale::load_translations(TYPHOON_LOCALE_DEMO_DIR "/translations");

    std::vector<std::string> wanted(argv + 1, argv + argc);
    if (wanted.empty()) wanted = {"es-la", "en"};
    const locale::Locale user = locale::get(wanted);

    // A fixed "now" keeps the output reproducible; leave .now unset for the system clock.
    const system_clock::time_point now = sys_days{2024y / March / 15} + 14h + 30min;
    const std::vector<std::string> people{"Ana", "Luis", "Marta"};

    std::cout << "locale:        " << user.code() << " (" << user.name() << ")\n"
              << "translate:     " << user.translate("Sign out") << '\n'
              << "plural (1, 3): "
              << user.translate("%(name)s liked this", "%(name)s liked this", 1) << " / "
              << user.translate("%(name)s liked this", "%(name)s liked this", 3) << '\n'
              << "list:          " << user.list(people) << '\n'
              << "format_date:   " << user.format_date(now - 5min, {.now = now}) << '\n'
              << "               "
              << user.format_date(now - 26h, {.gmt_offset = 360min, .now = now}) << '\n'
              << "               " << user.format_date(now - days{400}, {.now = now}) << '\n'
              << "format_day:    " << user.format_day(now) << '\n'
              << "number:        " << user.friendly_number(1234567) << '\n'
              << "supported:    ";
    for (const auto& code : locale::get_supported_locales())
        std::cout << ' ' << code;
    std::cout << '\n';
}
