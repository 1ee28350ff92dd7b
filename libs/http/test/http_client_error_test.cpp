#include <typhoon/http/http_client_error.hpp>

#include <typhoon/http/client_response.hpp>

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

using namespace typhoon::httpclient;

// Expected strings are str() of the same errors in Tornado 6.2 (Debian's python3-tornado).
BOOST_AUTO_TEST_SUITE(http_client_error_test)

BOOST_AUTO_TEST_CASE(what_is_the_code_and_the_reason_or_message) {
    BOOST_TEST(std::string(HTTPClientError(404).what()) == "HTTP 404: Not Found");
    BOOST_TEST(std::string(HTTPClientError(500, "boom").what()) == "HTTP 500: boom");
    BOOST_TEST(std::string(HTTPClientError(599).what()) == "HTTP 599: Unknown");
    BOOST_TEST(std::string(HTTPClientError(418).what()) == "HTTP 418: I'm a Teapot");
    BOOST_TEST(HTTPClientError(404).message() == "Not Found");
}

BOOST_AUTO_TEST_CASE(timeout_and_stream_closed_print_only_their_message) {
    const HTTPTimeoutError timeout("Timeout while connecting");
    BOOST_TEST(std::string(timeout.what()) == "Timeout while connecting");
    BOOST_TEST(timeout.code() == 599);
    // Tornado's HTTPClientError turns an empty message into "Unknown" before __str__ sees it.
    BOOST_TEST(std::string(HTTPTimeoutError("").what()) == "Unknown");
    BOOST_TEST(std::string(HTTPStreamClosedError("").what()) == "Unknown");
    const HTTPClientError& base = HTTPStreamClosedError("Stream closed");
    BOOST_TEST(base.code() == 599);
}

BOOST_AUTO_TEST_CASE(carries_the_response_it_was_raised_for) {
    auto response = std::make_shared<HTTPResponse>();
    response->code = 404;
    response->body = "gone";
    const HTTPClientError error(404, "", response);
    BOOST_REQUIRE(error.response());
    BOOST_TEST(error.response()->body == "gone");
    BOOST_TEST(!HTTPClientError(599).response());
}

BOOST_AUTO_TEST_SUITE_END()
