#include <typhoon/http/server_request.hpp>

#include <boost/test/unit_test.hpp>

// Expected values were produced by Debian's python3-tornado 6.2 on the same inputs.
using namespace typhoon::httputil;
using Values = std::vector<std::string>;

namespace {
HTTPServerRequest form_post() {
    HTTPHeaders headers;
    headers.add("Host", "Example.COM:8080");
    headers.add("Cookie", R"(a=1; b="x\"y"; expires=3; bad name=4; =5; c=ok)");
    headers.add("Content-Type", "application/x-www-form-urlencoded");
    return HTTPServerRequest({.method = "POST",
                              .uri = "/p/a?x=1&y=&x=2",
                              .version = "HTTP/1.1",
                              .headers = std::move(headers),
                              .body = "x=3&z=4"});
}
}  // namespace

BOOST_AUTO_TEST_SUITE(server_request_test)

BOOST_AUTO_TEST_CASE(splits_the_uri_and_the_host) {
    const auto request = form_post();
    BOOST_TEST(request.path == "/p/a");
    BOOST_TEST(request.query == "x=1&y=&x=2");
    BOOST_TEST(request.host == "Example.COM:8080");
    BOOST_TEST(request.host_name == "example.com");
    BOOST_TEST(request.full_url() == "http://Example.COM:8080/p/a?x=1&y=&x=2");
}

BOOST_AUTO_TEST_CASE(query_arguments_keep_blank_values) {
    const auto request = form_post();
    BOOST_TEST(request.arguments.at("x") == (Values{"1", "2"}), boost::test_tools::per_element());
    BOOST_TEST(request.arguments.at("y") == Values{""}, boost::test_tools::per_element());
    BOOST_TEST(request.body_arguments.empty());
}

BOOST_AUTO_TEST_CASE(parse_body_adds_form_arguments_after_query_ones) {
    auto request = form_post();
    request.parse_body();
    BOOST_TEST(request.arguments.at("x") == (Values{"1", "2", "3"}),
               boost::test_tools::per_element());
    BOOST_TEST(request.arguments.at("z") == Values{"4"}, boost::test_tools::per_element());
    BOOST_TEST(request.query_arguments.at("x") == (Values{"1", "2"}),
               boost::test_tools::per_element());
    BOOST_TEST(!request.query_arguments.contains("z"));
    BOOST_TEST(request.body_arguments.at("x") == Values{"3"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cookies_leave_out_names_python_refuses) {
    const auto request = form_post();
    const std::map<std::string, std::string, std::less<>> expected{
        {"a", "1"}, {"b", "x\"y"}, {"c", "ok"}};
    BOOST_TEST((request.cookies() == expected));
}

BOOST_AUTO_TEST_CASE(defaults_match_tornado) {
    const HTTPServerRequest request;
    BOOST_TEST(request.host == "127.0.0.1");
    BOOST_TEST(request.host_name == "127.0.0.1");
    BOOST_TEST(request.protocol == "http");
    BOOST_TEST(request.version == "HTTP/1.0");
    BOOST_TEST(request.full_url() == "http://127.0.0.1/");
    BOOST_TEST(request.cookies().empty());
}

BOOST_AUTO_TEST_CASE(request_time_stops_at_finish) {
    HTTPServerRequest request;
    BOOST_TEST(request.request_time() >= 0.0);
    request.finish();
    const double finished = request.request_time();
    BOOST_TEST(request.request_time() == finished);  // frozen once finished
}

BOOST_AUTO_TEST_SUITE_END()
