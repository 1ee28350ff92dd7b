#include <typhoon/locale/translations.hpp>

#include <typhoon/core/error.hpp>
#include <typhoon/core/log_capture.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace typhoon::locale;
using typhoon::log::LogCapture;

namespace {
const std::string data = TYPHOON_TEST_DIR "/data/";
using Codes = std::vector<std::string>;

/// Puts the default locale back, whatever a test set.
struct DefaultLocaleGuard {
    ~DefaultLocaleGuard() { set_default_locale("en_US"); }
};
}  // namespace

// Expected values from Debian's python3-tornado 6.2 loading the same files (test/data/).
BOOST_FIXTURE_TEST_SUITE(translations_test, DefaultLocaleGuard)

BOOST_AUTO_TEST_CASE(csv_files_become_supported_locales) {
    load_translations(data + "csv");
    BOOST_TEST(get_supported_locales() == (Codes{"en_US", "es_LA", "fa", "fr", "zh_CN"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(csv_with_bom_and_crlf_reads_like_plain_utf8) {
    load_translations(data + "csv");
    const Locale es = Locale::get("es_LA");
    BOOST_TEST(es.translate("Sign out") == "Cerrar sesión");  // first row, right after the BOM
    BOOST_TEST(es.translate("yesterday at %(time)s") == "ayer a las %(time)s");
}

BOOST_AUTO_TEST_CASE(csv_in_utf16_is_detected_by_its_bom) {
    load_translations(data + "csv_utf16");
    BOOST_TEST(get_supported_locales() == (Codes{"de", "en_US"}), boost::test_tools::per_element());
    BOOST_TEST(Locale::get("de").translate("March") == "März");
    BOOST_TEST(Locale::get("de").list({"x", "y"}) == "x und y");
}

BOOST_AUTO_TEST_CASE(explicit_encoding_is_used_for_every_file) {
    load_translations(data + "csv_utf16", {.encoding = "utf-16"});
    BOOST_TEST(Locale::get("de").translate("Sign out") == "Abmelden");
    // Plain "utf-8" keeps a BOM as part of the first cell, as Python's codec does; the quote
    // after it is then text, not a delimiter.
    load_translations(data + "csv", {.encoding = "utf-8"});
    BOOST_TEST(Locale::get("es_LA").translate("Sign out") == "Sign out");
    BOOST_TEST(Locale::get("es_LA").translate("\xEF\xBB\xBF\"Sign out\"") == "Cerrar sesión");
    BOOST_CHECK_THROW(load_translations(data + "csv", {.encoding = "koi8-r"}), typhoon::Error);
}

BOOST_AUTO_TEST_CASE(bad_plural_indicator_is_reported_with_file_and_line_and_skipped) {
    LogCapture capture{{.logger = &typhoon::log::gen_log}};
    load_translations(data + "csv");
    // Tornado counts rows (44); we name the physical line, two more because a row spans three.
    BOOST_TEST(
        capture.contains("Unrecognized plural indicator 'dual' in " + data + "csv/fr.csv line 46"));
    const Locale fr = Locale::get("fr");
    BOOST_TEST(fr.translate("Bad row") == "Bad row");
    BOOST_TEST(fr.translate("After bad row") == "Après la mauvaise ligne");
}

BOOST_AUTO_TEST_CASE(bad_files_are_reported_and_the_others_still_load) {
    LogCapture capture{{.logger = &typhoon::log::gen_log}};
    load_translations(data + "csv_bad");
    BOOST_TEST(capture.contains("Unrecognized locale 'Fr' (path: " + data + "csv_bad/Fr.csv)"));
    BOOST_TEST(capture.contains("Unrecognized locale 'fr.backup'"));
    BOOST_TEST(capture.contains("Unrecognized plural indicator 'several' in " + data +
                                "csv_bad/it.csv line 2"));
    BOOST_TEST(capture.contains("not valid utf-8 skipped in " + data + "csv_bad/it.csv line 3"));
    BOOST_TEST(get_supported_locales() == (Codes{"en_US", "it", "pt"}),
               boost::test_tools::per_element());
    const Locale it = Locale::get("it");
    BOOST_TEST(it.translate("Sign out") == "Esci");
    BOOST_TEST(it.translate("Settings") == "Impostazioni");
    BOOST_TEST(it.translate("Broken") == "Broken");
    BOOST_TEST(it.translate("Open") == "Apri");  // the unclosed quote runs to the end of the file
    BOOST_TEST(Locale::get("pt").translate("Sign out") == "Sair");
}

BOOST_AUTO_TEST_CASE(missing_csv_directory_throws) {
    BOOST_CHECK_THROW(load_translations(data + "no_such_directory"), typhoon::Error);
}

BOOST_AUTO_TEST_CASE(gettext_catalogues_become_supported_locales) {
    load_gettext_translations(data + "gettext", "typhoon");
    BOOST_TEST(
        get_supported_locales() == (Codes{"ar", "de", "en_US", "fr", "pt", "pt_BR", "ru", "zh_CN"}),
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(gettext_reads_big_endian_and_latin1_catalogues) {
    load_gettext_translations(data + "gettext", "typhoon");
    BOOST_TEST(Locale::get("ru").translate("Sign out") == "Выйти");  // msgfmt --endianness=big
    BOOST_TEST(Locale::get("de").translate("March") == "März");      // charset=ISO-8859-1
}

BOOST_AUTO_TEST_CASE(gettext_territory_falls_back_to_its_language) {
    load_gettext_translations(data + "gettext", "typhoon");
    const Locale br = Locale::get("pt_BR");
    BOOST_TEST(br.translate("Settings") == "Configurações");
    BOOST_TEST(br.translate("Sign out") == "Sair");  // only in pt
    BOOST_TEST(br.translate("%(n)d file", "%(n)d files", 2) == "%(n)d ficheiros");
}

BOOST_AUTO_TEST_CASE(gettext_expands_languages_as_python_does) {
    LogCapture capture{{.logger = &typhoon::log::gen_log}};
    load_gettext_translations(data + "gettext_variants", "typhoon");
    BOOST_TEST(get_supported_locales() == (Codes{"en_US", "fr", "fr_FR"}),
               boost::test_tools::per_element());
    // Python normalises "fr" to fr_FR.ISO8859-1, so fr_FR's catalogue comes first, then fr's.
    const Locale fr = Locale::get("fr");
    BOOST_TEST(fr.translate("Sign out") == "Déconnexion");
    BOOST_TEST(fr.translate("February") == "février");
    BOOST_TEST(Locale::get("fr_FR").translate("%(n)d comment", "%(n)d comments", 0) ==
               "%(n)d commentaire");
    // "pt_br" normalises to pt_BR, which does not exist; the C locale is never searched.
    BOOST_TEST(capture.contains(
        "Cannot load translation for 'pt_br': [Errno 2] No translation file found"));
    BOOST_TEST(capture.contains("Cannot load translation for 'C'"));
}

BOOST_AUTO_TEST_CASE(unreadable_catalogues_are_reported_and_skipped) {
    LogCapture capture{{.logger = &typhoon::log::gen_log}};
    load_gettext_translations(data + "gettext_bad", "typhoon");
    BOOST_TEST(get_supported_locales() == (Codes{"en_US", "fr"}), boost::test_tools::per_element());
    BOOST_TEST(capture.contains("Cannot load translation for 'xx': Bad magic number"));
    BOOST_TEST(capture.contains("Cannot load translation for 'yy'"));
    BOOST_TEST(capture.contains("Cannot load translation for 'zz': unknown encoding: CHARSET"));
    BOOST_TEST(Locale::get("fr").translate("Sign out") == "Se déconnecter");
}

BOOST_AUTO_TEST_CASE(missing_gettext_directory_loads_nothing) {
    load_gettext_translations(data + "no_such_directory", "typhoon");
    BOOST_TEST(get_supported_locales() == (Codes{"en_US"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(get_closest_tries_territory_then_language_then_default) {
    load_gettext_translations(data + "gettext", "typhoon");
    BOOST_TEST(Locale::get_closest({"pt-br"}).code() == "pt_BR");
    BOOST_TEST(Locale::get_closest({"pt_PT"}).code() == "pt");
    BOOST_TEST(Locale::get_closest({"FR"}).code() == "fr");
    BOOST_TEST(Locale::get_closest({"fr_CA"}).code() == "fr");
    BOOST_TEST(Locale::get_closest({"", "es_ES", "ru_RU_x", "de_AT"}).code() == "de");
    BOOST_TEST(Locale::get_closest({"es", "it"}).code() == "en_US");
    BOOST_TEST(Locale::get_closest({}).code() == "en_US");
    const std::vector<std::string> accepted{"xx", "zh-cn"};
    BOOST_TEST(get(accepted).code() == "zh_CN");
    BOOST_TEST(get({"ar_EG"}).code() == "ar");
    const std::vector<std::string_view> views{"pt-BR"};
    BOOST_TEST(Locale::get_closest(views).code() == "pt_BR");
}

BOOST_AUTO_TEST_CASE(get_of_an_unsupported_code_throws) {
    load_gettext_translations(data + "gettext", "typhoon");
    BOOST_CHECK_THROW(Locale::get("fr_CA"), typhoon::Error);
    BOOST_TEST(Locale::get("en_US").code() == "en_US");
}

BOOST_AUTO_TEST_CASE(default_locale_is_supported_and_chosen_when_nothing_matches) {
    load_translations(data + "csv");
    set_default_locale("pt_BR");
    BOOST_TEST(get_supported_locales() == (Codes{"es_LA", "fa", "fr", "pt_BR", "zh_CN"}),
               boost::test_tools::per_element());
    const Locale fallback = Locale::get_closest({"nl"});
    BOOST_TEST(fallback.code() == "pt_BR");
    BOOST_TEST(fallback.name() == "Português (Brasil)");
    BOOST_TEST(fallback.translate("Sign out") == "Sign out");
}

BOOST_AUTO_TEST_CASE(locales_obtained_before_a_reload_keep_their_translations) {
    load_translations(data + "csv");
    const Locale before = Locale::get("fr");
    load_gettext_translations(data + "gettext", "typhoon");
    BOOST_TEST(before.translate("Settings") == "Paramètres");  // from the CSV
    BOOST_TEST(Locale::get("fr").translate("Settings") == "Settings");
}

BOOST_AUTO_TEST_CASE(readers_on_other_threads_survive_a_reload) {
    load_gettext_translations(data + "gettext", "typhoon");
    std::atomic<bool> stop{false};
    std::atomic<int> wrong{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 2; ++t)
        readers.emplace_back([&] {
            while (!stop) {
                const Locale ru = get({"ru_RU", "en"});
                const std::string text = ru.translate("%(n)d file", "%(n)d files", 21);
                if (text != "%(n)d файл" && text != "%(n)d files") ++wrong;  // gettext or CSV set
            }
        });
    for (int i = 0; i < 20; ++i) {
        load_translations(data + "csv");
        load_gettext_translations(data + "gettext", "typhoon");
    }
    stop = true;
    for (auto& reader : readers)
        reader.join();
    BOOST_TEST(wrong == 0);
}

BOOST_AUTO_TEST_SUITE_END()
