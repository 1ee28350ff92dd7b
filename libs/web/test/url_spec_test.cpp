#include <typhoon/web/url_spec.hpp>

#include <typhoon/core/error.hpp>

#include <boost/test/unit_test.hpp>

using namespace typhoon;

namespace {

class Nothing final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
};

web::URLSpec route(std::string pattern, std::string name = {}) {
    return web::url<Nothing>(std::move(pattern), {.name = std::move(name)});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(url_spec_test)

BOOST_AUTO_TEST_CASE(pattern_is_anchored_at_both_ends_as_in_tornado) {
    const auto spec = route("/story/([0-9]+)");
    BOOST_TEST(spec.pattern() == "/story/([0-9]+)$");
    BOOST_TEST(spec.match("/story/12").has_value());
    BOOST_TEST(!spec.match("/story/12/comments").has_value());
    BOOST_TEST(!spec.match("/x/story/12").has_value());
}

BOOST_AUTO_TEST_CASE(positional_groups_are_url_decoded_path_args) {
    const auto match = route("/file/([^/]+)/(.*)").match("/file/a%20b/c+d%2Fe");
    BOOST_REQUIRE(match);
    BOOST_TEST(match->args == (std::vector<std::string>{"a b", "c+d/e"}));  // '+' stays: a path
    BOOST_TEST(match->kwargs.empty());
}

BOOST_AUTO_TEST_CASE(named_groups_in_python_syntax_are_path_kwargs) {
    const auto match = route(R"(/(?P<year>\d{4})/(?P<slug>[a-z-]+))").match("/2024/hello-world");
    BOOST_REQUIRE(match);
    BOOST_TEST(match->args.empty());
    BOOST_TEST(match->kwargs.at("year") == "2024");
    BOOST_TEST(match->kwargs.at("slug") == "hello-world");
}

BOOST_AUTO_TEST_CASE(optional_group_that_did_not_match_is_empty) {
    const auto match = route("/page(/[0-9]+)?").match("/page");
    BOOST_REQUIRE(match);
    BOOST_TEST(match->args == (std::vector<std::string>{""}));
}

BOOST_AUTO_TEST_CASE(mixing_named_and_positional_groups_is_refused) {
    BOOST_CHECK_THROW(route(R"(/(?P<a>\d+)/(\d+))"), Error);
}

BOOST_AUTO_TEST_CASE(an_invalid_pattern_is_an_error_naming_it) {
    try {
        route("/broken/(unclosed");
        BOOST_FAIL("expected an error");
    } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()).find("/broken/(unclosed") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(an_escaped_dollar_is_literal_and_the_route_is_still_anchored) {
    const auto price = route(R"(/price/\$)");
    BOOST_TEST(price.pattern() == R"(/price/\$$)");
    BOOST_TEST(price.match("/price/$").has_value());
    BOOST_TEST(!price.match("/price/$/more").has_value());
    BOOST_TEST(route(R"(/dir\\$)").match(R"(/dir\)").has_value());
    try {
        route(R"(/trailing\)");  // Tornado's '$' would make it "\$" and leave it unanchored
        BOOST_FAIL("expected an error");
    } catch (const Error& e) {
        BOOST_TEST(std::string(e.what()).find("lone backslash") != std::string::npos);
        BOOST_TEST(std::string(e.what()).find(R"(/trailing\)") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(plain_paths_are_literal_routes_and_need_no_regex) {
    BOOST_TEST(route("/about").literal_path().value() == "/about");
    BOOST_TEST(route(R"(/a\.b)").literal_path().value() == "/a.b");
    BOOST_TEST(route("^/home$").literal_path().value() == "/home");
    // An unescaped '.' is a regex, as in Tornado: "/favicon.ico" also matches "/faviconXico".
    BOOST_TEST(!route("/favicon.ico").literal_path().has_value());
    BOOST_TEST(route("/favicon.ico").match("/faviconXico").has_value());
}

BOOST_AUTO_TEST_CASE(regex_routes_know_their_literal_prefix) {
    BOOST_TEST(route("/story/([0-9]+)").literal_prefix() == "/story/");
    BOOST_TEST(route("/items?/(.*)").literal_prefix() == "/item");
    BOOST_TEST(route("/a|/b").literal_prefix() == "");
}

BOOST_AUTO_TEST_CASE(python_regex_features_work) {
    BOOST_TEST(route(R"((?i)/abc)").match("/ABC").has_value());
    BOOST_TEST(route(R"(/(?<=/)x(\d+))").match("/x12").has_value());  // look-behind
    BOOST_TEST(route(R"(/(?P<w>\w+)/(?P=w))").match("/ab/ab").has_value());
    BOOST_TEST(!route(R"(/(?P<w>\w+)/(?P=w))").match("/ab/cd").has_value());
}

// Boost.Regex also knows Perl's recursion and subroutine calls; Python's re has neither, and they
// make matching a path exponential.
BOOST_AUTO_TEST_CASE(perl_only_group_syntax_is_an_error_as_in_python) {
    for (const char* pattern :
         {"/(a)(?1)", "/(?R)?x", "/(?<n>a)(?&n)", "/(?P<n>a)(?P>n)", "/(a)(?-1)", "/(a)(?+1)(b)"}) {
        try {
            route(pattern);
            BOOST_FAIL("expected an error for " << pattern);
        } catch (const Error& e) {
            BOOST_TEST(std::string(e.what()).find(pattern) != std::string::npos);
        }
    }
    for (const char* pattern : {"/(?:a)", "(?i)/a", "/(?-i:a)", "/(?=a)a", "/(?!b)a", "/x(?<=x)",
                                "/x(?<!y)", "/(?#note)a", "/(?>a)"})
        BOOST_TEST(route(pattern).pattern() == std::string(pattern) + "$");
}

BOOST_AUTO_TEST_CASE(a_path_too_complex_to_match_is_no_match_not_an_exception) {
    // Python's re would backtrack for ever here; Boost.Regex gives up, and the route must say no.
    const auto spec = route("/(a+)+b");
    BOOST_TEST(!spec.match("/" + std::string(30, 'a')).has_value());
    BOOST_TEST(spec.match("/aab").has_value());
}

BOOST_AUTO_TEST_CASE(reverse_fills_groups_with_escaped_arguments) {
    const auto spec = route("/story/([0-9]+)/comments/([a-z ]+)");
    BOOST_TEST(spec.reverse({"7", "a b/c"}) == "/story/7/comments/a%20b/c");
    BOOST_TEST(route(R"(/a\.b/(\d+))").reverse({"3"}) == "/a.b/3");
    BOOST_TEST(route("/static").reverse({}) == "/static");
}

BOOST_AUTO_TEST_CASE(reverse_refuses_what_it_cannot_build) {
    BOOST_CHECK_THROW(route("/story/([0-9]+)").reverse({}), Error);
    BOOST_CHECK_THROW(route(R"(/(?:a|b)/(\d+))").reverse({"1"}), Error);  // a '(' that is no group
    BOOST_CHECK_THROW(route(R"(/\d+/(\d+))").reverse({"1"}), Error);      // "\d" has no literal
}

BOOST_AUTO_TEST_CASE(handler_factory_knows_the_overridden_methods) {
    class GetAndPost final : public web::RequestHandler {
    public:
        using RequestHandler::RequestHandler;
        boost::asio::awaitable<void> get() override { co_return; }
        boost::asio::awaitable<void> post() override { co_return; }
    };
    const auto factory = web::handler<GetAndPost>();
    BOOST_TEST(factory.allowed_methods() == (web::methods::get | web::methods::post));
    BOOST_TEST(web::handler<Nothing>().allowed_methods() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
