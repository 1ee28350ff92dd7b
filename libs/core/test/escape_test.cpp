#include <typhoon/core/escape.hpp>

#include <boost/test/unit_test.hpp>

// Expected values were produced by Debian's python3-tornado 6.2 on the same inputs.
using namespace typhoon::escape;

BOOST_AUTO_TEST_SUITE(escape_test)

BOOST_AUTO_TEST_CASE(xhtml_escape_replaces_the_five_special_characters) {
    BOOST_TEST(xhtml_escape(R"(<a href="x">Tom & 'Jerry'</a>)") ==
               "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    BOOST_TEST(xhtml_escape("&amp;") == "&amp;amp;");  // escaping is not idempotent, as in Tornado
    BOOST_TEST(xhtml_escape("") == "");
}

BOOST_AUTO_TEST_CASE(xhtml_escape_leaves_non_ascii_alone) {
    BOOST_TEST(xhtml_escape("héllo <b>") == "héllo &lt;b&gt;");
}

BOOST_AUTO_TEST_CASE(xhtml_unescape_reverses_xhtml_escape) {
    BOOST_TEST(xhtml_unescape("&lt;p&gt; &amp;amp; &quot;q&quot; &#39;s&#39;") ==
               "<p> &amp; \"q\" 's'");
    const std::string original = "<a href='x'>&\"</a>";
    BOOST_TEST(xhtml_unescape(xhtml_escape(original)) == original);
}

BOOST_AUTO_TEST_CASE(xhtml_unescape_reads_numbers_as_python_int_does) {
    // &#0x41; is not a number in base 10, but "x0x41" is int("0x41", 16); "1_0" is ten.
    BOOST_TEST(xhtml_unescape("&#x27;&#X41;&#65;&#0x41;&#x0x41;&#1_0;&#_1;&#x;&#;") ==
               "'AA&#0x41;A\n&#_1;&#x;&#;");
}

BOOST_AUTO_TEST_CASE(xhtml_unescape_knows_html4_entity_names) {
    BOOST_TEST(xhtml_unescape("&eacute;&Eacute;&nbsp;&euro;") == "éÉ\u00a0€");
}

BOOST_AUTO_TEST_CASE(xhtml_unescape_keeps_unknown_or_unterminated_references) {
    BOOST_TEST(xhtml_unescape("&bogus; &amp &ampx; &#1114111;&#1114112;") ==
               "&bogus; &amp &ampx; \U0010FFFF&#1114112;");
    BOOST_TEST(xhtml_unescape("a & b && c;") == "a & b && c;");
    BOOST_TEST(xhtml_unescape("&#99999999999999999999999;") == "&#99999999999999999999999;");
}

BOOST_AUTO_TEST_CASE(url_escape_with_plus_is_for_query_strings) {
    BOOST_TEST(url_escape("a b/c?d=e&f") == "a+b%2Fc%3Fd%3De%26f");
    BOOST_TEST(url_escape("héllo wörld") == "h%C3%A9llo+w%C3%B6rld");
    BOOST_TEST(url_escape("a+b") == "a%2Bb");
    BOOST_TEST(url_escape("~._-") == "~._-");
    BOOST_TEST(url_escape("") == "");
}

BOOST_AUTO_TEST_CASE(url_escape_without_plus_is_for_paths) {
    BOOST_TEST(url_escape("a b/c?d=e&f", {.plus = false}) == "a%20b/c%3Fd%3De%26f");
    BOOST_TEST(url_escape("héllo wörld", {.plus = false}) == "h%C3%A9llo%20w%C3%B6rld");
}

BOOST_AUTO_TEST_CASE(url_unescape_decodes_plus_only_when_asked) {
    BOOST_TEST(url_unescape("a+b%20c%2Fd") == "a b c/d");
    BOOST_TEST(url_unescape("a+b%20c%2Fd", {.plus = false}) == "a+b c/d");
    BOOST_TEST(url_unescape("caf%C3%A9+%2B") == "café +");
    BOOST_TEST(url_unescape("caf%C3%A9+%2B", {.plus = false}) == "café++");
}

BOOST_AUTO_TEST_CASE(url_unescape_keeps_malformed_escapes) {
    BOOST_TEST(url_unescape("%E2%82%AC%zz%4") == "€%zz%4");
    BOOST_TEST(url_unescape("%") == "%");
    BOOST_TEST(url_unescape("%4") == "%4");
}

BOOST_AUTO_TEST_CASE(url_unescape_replaces_invalid_utf8_unless_raw_bytes_are_asked_for) {
    BOOST_TEST(url_unescape("%C3%28%ff") == "\uFFFD(\uFFFD");
    BOOST_TEST(url_unescape("%C3%28%ff", {.decode_utf8 = false}) == "\xC3(\xFF");
    BOOST_TEST(url_unescape("caf%C3%A9+%2B", {.decode_utf8 = false}) == "café +");
}

BOOST_AUTO_TEST_CASE(squeeze_collapses_control_runs_and_strips_unicode_space) {
    BOOST_TEST(squeeze("  a \t\n b  ") == "a b");
    BOOST_TEST(squeeze(std::string_view("\x00x\x1fy ", 5)) == "x y");
    BOOST_TEST(squeeze("\u3000 text \u00a0") == "text");
    BOOST_TEST(squeeze("   ") == "");
    BOOST_TEST(squeeze("") == "");
}

BOOST_AUTO_TEST_SUITE_END()
