#include <typhoon/http/responses.hpp>

#include <boost/test/unit_test.hpp>

using typhoon::httputil::reason_phrase;

// Expected strings are Python 3.11's http.client.responses, which Tornado's httputil.responses is.
BOOST_AUTO_TEST_SUITE(responses_test)

BOOST_AUTO_TEST_CASE(known_codes_have_pythons_words) {
    BOOST_TEST(reason_phrase(100) == "Continue");
    BOOST_TEST(reason_phrase(200) == "OK");
    BOOST_TEST(reason_phrase(404) == "Not Found");
    BOOST_TEST(reason_phrase(418) == "I'm a Teapot");
    BOOST_TEST(reason_phrase(511) == "Network Authentication Required");
}

BOOST_AUTO_TEST_CASE(the_words_are_rfc_2616s_where_rfc_9110_renamed_the_status) {
    BOOST_TEST(reason_phrase(413) == "Request Entity Too Large");
    BOOST_TEST(reason_phrase(414) == "Request-URI Too Long");
    BOOST_TEST(reason_phrase(416) == "Requested Range Not Satisfiable");
}

BOOST_AUTO_TEST_CASE(unknown_codes_are_unknown) {
    BOOST_TEST(reason_phrase(299) == "Unknown");
    BOOST_TEST(reason_phrase(599) == "Unknown");
    BOOST_TEST(reason_phrase(0) == "Unknown");
    BOOST_TEST(reason_phrase(-1) == "Unknown");
    BOOST_TEST(reason_phrase(1000) == "Unknown");
}

BOOST_AUTO_TEST_SUITE_END()
