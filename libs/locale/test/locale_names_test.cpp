#include <typhoon/locale/locale_names.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace typhoon::locale;

// Values from tornado._locale_data.LOCALE_NAMES (Tornado 6.2).
BOOST_AUTO_TEST_SUITE(locale_names_test)

BOOST_AUTO_TEST_CASE(table_has_tornados_rows_sorted_by_code) {
    const auto rows = locale_names();
    BOOST_TEST(rows.size() == 62u);
    BOOST_TEST(std::is_sorted(rows.begin(), rows.end(),
                              [](const auto& a, const auto& b) { return a.code < b.code; }));
}

BOOST_AUTO_TEST_CASE(finds_native_and_english_names) {
    const LocaleName* zh = find_locale_name("zh_CN");
    BOOST_REQUIRE(zh);
    BOOST_TEST(zh->name == "中文(简体)");
    BOOST_TEST(zh->name_en == "Chinese (Simplified)");
    BOOST_TEST(find_locale_name("pt_BR")->name == "Português (Brasil)");
    BOOST_TEST(find_locale_name("af_ZA")->name == "Afrikaans");
    BOOST_TEST(find_locale_name("zh_TW")->name == "中文(繁體)");
}

BOOST_AUTO_TEST_CASE(unknown_and_partial_codes_are_not_found) {
    BOOST_TEST(!find_locale_name("fr"));
    BOOST_TEST(!find_locale_name("xx_XX"));
    BOOST_TEST(!find_locale_name(""));
}

BOOST_AUTO_TEST_SUITE_END()
