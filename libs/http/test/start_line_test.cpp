#include <typhoon/http/start_line.hpp>

#include <typhoon/http/http_input_error.hpp>

#include <boost/test/unit_test.hpp>

// Expected values were produced by Debian's python3-tornado 6.2 on the same inputs.
using namespace typhoon::httputil;

namespace {
std::string request_error(std::string_view line) {
    try {
        parse_request_start_line(line);
    } catch (const HTTPInputError& e) {
        return e.what();
    }
    return "(no error)";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(start_line_test)

BOOST_AUTO_TEST_CASE(request_line_has_three_parts) {
    BOOST_TEST((parse_request_start_line("GET /foo HTTP/1.1") ==
                RequestStartLine{"GET", "/foo", "HTTP/1.1"}));
}

BOOST_AUTO_TEST_CASE(malformed_request_lines_are_input_errors) {
    BOOST_TEST(request_error("GET /foo HTTP/1.1 x") == "Malformed HTTP request line");
    BOOST_TEST(request_error("GET  /foo HTTP/1.1") == "Malformed HTTP request line");
    BOOST_TEST(request_error("GET /foo") == "Malformed HTTP request line");
    // Tornado reads these as an empty method or target; RFC 9112 §3 has neither.
    BOOST_TEST(request_error("  HTTP/1.9") == "Malformed HTTP request line");
    BOOST_TEST(request_error(" /foo HTTP/1.1") == "Malformed HTTP request line");
    BOOST_TEST(request_error("GET  HTTP/1.1") == "Malformed HTTP request line");
    BOOST_TEST(request_error("GET /foo HTTP/2.0") ==
               "Malformed HTTP version in HTTP Request-Line: 'HTTP/2.0'");
    BOOST_TEST(request_error("GET /foo HTTP/1.x") ==
               "Malformed HTTP version in HTTP Request-Line: 'HTTP/1.x'");
}

BOOST_AUTO_TEST_CASE(response_line_gives_version_code_and_reason) {
    BOOST_TEST(
        (parse_response_start_line("HTTP/1.1 200 OK") == ResponseStartLine{"HTTP/1.1", 200, "OK"}));
    BOOST_TEST((parse_response_start_line("HTTP/1.0 404 Not Found\r\n") ==
                ResponseStartLine{"HTTP/1.0", 404, "Not Found"}));
}

BOOST_AUTO_TEST_CASE(malformed_response_lines_are_input_errors) {
    // "HTTP/1x1": Tornado's pattern leaves its '.' unescaped and reads it; RFC 9112 §2.3 does not.
    for (const char* line : {"HTTP/2 200 OK", "HTTP/1.1 200", "HTTP/1.1 abc x", "HTTP/1x1 500 "})
        BOOST_CHECK_THROW(parse_response_start_line(line), HTTPInputError);
}

BOOST_AUTO_TEST_SUITE_END()
