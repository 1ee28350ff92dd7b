#include <typhoon/locale/plural_expression.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using typhoon::locale::PluralExpression;
using typhoon::locale::PluralExpressionError;

namespace {
std::vector<std::int64_t> forms(const PluralExpression& plural) {
    std::vector<std::int64_t> out;
    for (const std::int64_t n : {0, 1, 2, 5, 21, -7})
        out.push_back(plural(n));
    return out;
}
using Forms = std::vector<std::int64_t>;
}  // namespace

// Expected values from Python 3.11's gettext.c2py(expression)(n) for n in 0, 1, 2, 5, 21, -7.
BOOST_AUTO_TEST_SUITE(plural_expression_test)

BOOST_AUTO_TEST_CASE(default_rule_is_germanic) {
    BOOST_TEST(forms(PluralExpression()) == (Forms{1, 0, 1, 1, 1, 1}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(common_language_rules) {
    BOOST_TEST(forms(PluralExpression::parse("(n > 1)")) == (Forms{0, 0, 1, 1, 1, 0}),
               boost::test_tools::per_element());
    BOOST_TEST(forms(PluralExpression::parse("0")) == (Forms{0, 0, 0, 0, 0, 0}),
               boost::test_tools::per_element());
    const auto russian = PluralExpression::parse(
        "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2");
    BOOST_TEST(forms(russian) == (Forms{2, 0, 1, 2, 0, 1}), boost::test_tools::per_element());
    const auto arabic = PluralExpression::parse(
        "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5");
    BOOST_TEST(forms(arabic) == (Forms{0, 1, 2, 3, 4, 4}), boost::test_tools::per_element());
    BOOST_TEST(forms(PluralExpression::parse("n == 1 ? 0 : (n == 2 ? 1 : 2)")) ==
                   (Forms{2, 0, 1, 2, 2, 2}),
               boost::test_tools::per_element());
    BOOST_TEST(forms(PluralExpression::parse("n ? n==1 ? 10 : 20 : 30")) ==
                   (Forms{30, 10, 20, 20, 20, 20}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(not_binds_like_python_not) {
    // c2py writes `not n == 1`, which Python reads as not (n == 1).
    BOOST_TEST(forms(PluralExpression::parse("!n == 1")) == (Forms{1, 0, 1, 1, 1, 1}),
               boost::test_tools::per_element());
    BOOST_TEST(forms(PluralExpression::parse("!!n + 2")) == (Forms{1, 1, 1, 1, 1, 1}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(and_or_yield_an_operand) {
    BOOST_TEST(forms(PluralExpression::parse("n && 7")) == (Forms{0, 7, 7, 7, 7, 7}),
               boost::test_tools::per_element());
    BOOST_TEST(forms(PluralExpression::parse("n || 9")) == (Forms{9, 1, 2, 5, 21, -7}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(division_and_modulo_round_towards_minus_infinity) {
    BOOST_TEST(forms(PluralExpression::parse("n / 3 * 3 - n")) == (Forms{0, -1, -2, -2, 0, -2}),
               boost::test_tools::per_element());
    BOOST_TEST(forms(PluralExpression::parse("(n-3) % 4")) == (Forms{1, 2, 3, 2, 2, 2}),
               boost::test_tools::per_element());
    BOOST_TEST(forms(PluralExpression::parse("(n - 10) / 4")) == (Forms{-3, -3, -2, -2, 2, -5}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(chained_comparisons_group_to_the_left) {
    // c2py turns `1 < n < 3` into `(1 < n) < 3`: always true.
    BOOST_TEST(forms(PluralExpression::parse("1 < n < 3")) == (Forms{1, 1, 1, 1, 1, 1}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rejects_what_c2py_rejects) {
    for (const char* bad : {"n == !n", "n +", "(n", "n n", "x", "10n", "n = 1", "n & 1", "-1",
                            "1 ? 2", "", "(((((((((((((((((((((n)))))))))))))))))))))"})
        BOOST_CHECK_THROW(PluralExpression::parse(bad), PluralExpressionError);
    std::string long_expression = "n";
    while (long_expression.size() <= 1000)
        long_expression += " + n";
    BOOST_CHECK_THROW(PluralExpression::parse(long_expression), PluralExpressionError);
}

BOOST_AUTO_TEST_CASE(division_by_zero_throws_at_evaluation) {
    const auto plural = PluralExpression::parse("1 / n");
    BOOST_TEST(plural(1) == 1);
    BOOST_CHECK_THROW(plural(0), typhoon::Error);
}

BOOST_AUTO_TEST_SUITE_END()
