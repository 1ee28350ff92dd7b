#include <typhoon/net/detail/base64.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

// Expected values are what Python 3.11's base64.b64encode and b64decode give for the same input.
using namespace typhoon::netutil::detail;

namespace {

/// The decoded bytes, or "refused".
std::string decoded(std::string_view text, Base64Input input = Base64Input::lenient) {
    return base64_decode(text, input).value_or("refused");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(base64_test)

BOOST_AUTO_TEST_CASE(encode_pads_to_whole_groups) {
    BOOST_TEST(base64_encode("") == "");
    BOOST_TEST(base64_encode("a") == "YQ==");
    BOOST_TEST(base64_encode("ab") == "YWI=");
    BOOST_TEST(base64_encode("abc") == "YWJj");
    BOOST_TEST(base64_encode(std::string("\x00\xff\xfe", 3)) == "AP/+");
}

BOOST_AUTO_TEST_CASE(encode_takes_input_longer_than_one_piece) {
    const std::string bytes(3 * 1024 * 1024 + 2, 'x');
    const std::string text = base64_encode(bytes);
    BOOST_TEST(text.size() == 4 * ((bytes.size() + 2) / 3));
    BOOST_TEST(text.substr(0, 4) == "eHh4");
    BOOST_TEST(text.substr(text.size() - 4) == "eHg=");
    BOOST_TEST(decoded(text, Base64Input::strict) == bytes);
}

BOOST_AUTO_TEST_CASE(lenient_decode_reads_as_python_b64decode) {
    BOOST_TEST(decoded("YWI=") == "ab");
    BOOST_TEST(decoded("YW\nI=") == "ab");
    BOOST_TEST(decoded("Y!W*I =") == "ab");  // characters outside the alphabet are skipped
    BOOST_TEST(decoded("YQ==YWI=") == "a");  // padding ends the data
    BOOST_TEST(decoded("QR==") == "A");      // the unused bits need not be zero
    BOOST_TEST(decoded("QUJD==") == "ABC");  // padding after a whole group is skipped
    BOOST_TEST(decoded("==") == "");
    BOOST_TEST(decoded("") == "");
    BOOST_TEST(decoded("YWI") == "refused");  // Python: Incorrect padding
    BOOST_TEST(decoded("QQ=Q") == "refused");
    BOOST_TEST(decoded("Y") == "refused");
}

BOOST_AUTO_TEST_CASE(strict_decode_takes_only_canonical_base64) {
    BOOST_TEST(decoded("YWJj", Base64Input::strict) == "abc");
    BOOST_TEST(decoded("YWI=", Base64Input::strict) == "ab");
    BOOST_TEST(decoded("YQ==", Base64Input::strict) == "a");
    BOOST_TEST(decoded("", Base64Input::strict) == "");
    BOOST_TEST(decoded("YW\nI=", Base64Input::strict) == "refused");
    BOOST_TEST(decoded("YWI", Base64Input::strict) == "refused");
    BOOST_TEST(decoded("QUJD==", Base64Input::strict) == "refused");
    BOOST_TEST(decoded("Y===", Base64Input::strict) == "refused");
    BOOST_TEST(decoded("YQ=Q", Base64Input::strict) == "refused");
    BOOST_TEST(decoded("YW-_", Base64Input::strict) ==
               "refused");  // the urlsafe alphabet is not this
}

BOOST_AUTO_TEST_SUITE_END()
