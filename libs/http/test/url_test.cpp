#include <typhoon/http/url.hpp>

#include <boost/test/unit_test.hpp>

// Expected values were produced by Debian's python3-tornado 6.2 on the same inputs.
using namespace typhoon::httputil;

BOOST_AUTO_TEST_SUITE(url_test)

BOOST_AUTO_TEST_CASE(url_concat_appends_to_the_query) {
    BOOST_TEST(url_concat("http://example.com/foo?a=b", {{"c", "d"}}) ==
               "http://example.com/foo?a=b&c=d");
    BOOST_TEST(url_concat("http://example.com/foo?a=b", {}) == "http://example.com/foo?a=b");
    BOOST_TEST(url_concat("/path", {{"q", "a b"}}) == "/path?q=a+b");
    BOOST_TEST(url_concat("http://x/;params?a=1", {{"b", "2"}}) == "http://x/;params?a=1&b=2");
}

BOOST_AUTO_TEST_CASE(url_concat_reencodes_the_existing_query_and_keeps_the_fragment) {
    BOOST_TEST(url_concat("http://x/p?a=1 2&b&c=%zz#frag", {{"d", "é/&"}}) ==
               "http://x/p?a=1+2&b=&c=%25zz&d=%C3%A9%2F%26#frag");
    BOOST_TEST(url_concat("http://x/p#f?q", {{"a", "1"}}) == "http://x/p?a=1#f?q");
    BOOST_TEST(url_concat("http://x/?", {}) == "http://x/");
}

BOOST_AUTO_TEST_CASE(split_host_and_port_takes_a_trailing_number) {
    using Result = std::pair<std::string, std::optional<int>>;
    BOOST_TEST((split_host_and_port("example.com:8080") == Result{"example.com", 8080}));
    BOOST_TEST((split_host_and_port("example.com") == Result{"example.com", std::nullopt}));
    BOOST_TEST((split_host_and_port("[::1]:80") == Result{"[::1]", 80}));
    BOOST_TEST((split_host_and_port("h:08") == Result{"h", 8}));
    BOOST_TEST((split_host_and_port("::1") ==
                Result{":", 1}));  // Tornado's reading of a bare IPv6 address
    BOOST_TEST((split_host_and_port(":80") == Result{":80", std::nullopt}));
    BOOST_TEST((split_host_and_port("host:") == Result{"host:", std::nullopt}));
    BOOST_TEST((split_host_and_port("host:+1") == Result{"host:+1", std::nullopt}));
}

BOOST_AUTO_TEST_SUITE_END()
