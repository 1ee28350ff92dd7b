#include <typhoon/core/utf8.hpp>

#include <boost/test/unit_test.hpp>

using namespace typhoon::escape;

BOOST_AUTO_TEST_SUITE(utf8_test)

BOOST_AUTO_TEST_CASE(accepts_well_formed_text) {
    BOOST_TEST(is_valid_utf8(""));
    BOOST_TEST(is_valid_utf8("plain ascii"));
    BOOST_TEST(is_valid_utf8("é€😀\U0010FFFF"));
}

BOOST_AUTO_TEST_CASE(rejects_overlongs_surrogates_and_out_of_range) {
    BOOST_TEST(!is_valid_utf8("\xC0\xAF"));          // overlong '/'
    BOOST_TEST(!is_valid_utf8("\xE0\x80\xAF"));      // overlong
    BOOST_TEST(!is_valid_utf8("\xED\xA0\x80"));      // U+D800
    BOOST_TEST(!is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
    BOOST_TEST(!is_valid_utf8("\xE2\x82"));          // truncated
    BOOST_TEST(!is_valid_utf8("\xFF"));
}

BOOST_AUTO_TEST_CASE(replacement_counts_match_python) {
    // b"...".decode("utf-8", "replace") in Python 3.11 gives these.
    BOOST_TEST(to_valid_utf8("a\xE2\x82z") == "a\uFFFDz");    // one for a truncated sequence
    BOOST_TEST(to_valid_utf8("\xC0\xAF") == "\uFFFD\uFFFD");  // two: C0 can start nothing
    BOOST_TEST(to_valid_utf8("\xED\xA0\x80") == "\uFFFD\uFFFD\uFFFD");  // surrogates: one per byte
    BOOST_TEST(to_valid_utf8("\xF0\x9F\x98") == "\uFFFD");
    BOOST_TEST(to_valid_utf8("\xF0\x9F\x98\xF0\x9F\x98\x80") == "\uFFFD😀");
    BOOST_TEST(to_valid_utf8("ok") == "ok");
}

BOOST_AUTO_TEST_CASE(decode_and_encode_round_trip) {
    const std::string text = "aé€😀";
    const std::u32string cps = utf8_decode(text);
    BOOST_TEST((cps == U"aé€😀"));
    BOOST_TEST(utf8_encode(cps) == text);
}

BOOST_AUTO_TEST_CASE(encode_replaces_code_points_that_utf8_cannot_hold) {
    BOOST_TEST(utf8_encode(std::u32string{0xD800, 0x110000, 'x'}) == "\uFFFD\uFFFDx");
}

BOOST_AUTO_TEST_CASE(unicode_space_is_pythons_isspace) {
    for (char32_t cp :
         {0x09, 0x1C, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x202F, 0x3000})
        BOOST_TEST(is_unicode_space(cp));
    for (char32_t cp : {0x00, 0x08, 0x41, 0x200B, 0xFEFF})
        BOOST_TEST(!is_unicode_space(cp));
}

BOOST_AUTO_TEST_SUITE_END()
