// OAuth 1.0 and 1.0a signatures against the vectors Debian's python3-tornado computed
// (generate_oauth_vectors.py; CTest's auth.vectors_match_tornado checks the file is current).
#include <typhoon/auth/oauth_signature.hpp>

#include <typhoon/auth/auth_error.hpp>
#include <typhoon/auth/oauth_token.hpp>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

using namespace typhoon::auth;
namespace json = boost::json;

namespace {

const json::object& vectors() {
    static const json::object loaded = [] {
        std::ifstream file(TYPHOON_TEST_DIR "/oauth_vectors.json");
        std::stringstream text;
        text << file.rdbuf();
        return json::parse(text.str()).as_object();
    }();
    return loaded;
}

OAuthToken token_of(const json::value& value) {
    return {.key = std::string(value.at("key").as_string()),
            .secret = std::string(value.at("secret").as_string())};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(oauth_signature_test)

BOOST_AUTO_TEST_CASE(signatures_equal_tornados_for_both_versions) {
    const auto& cases = vectors().at("signatures").as_array();
    BOOST_TEST_REQUIRE(cases.size() > 200u);
    for (const auto& entry : cases) {
        const auto& c = entry.as_object();
        OAuthParameters parameters;
        for (const auto& [name, value] : c.at("parameters").as_object())
            parameters.emplace(std::string(name), std::string(value.as_string()));
        std::optional<OAuthToken> token;
        if (!c.at("token").is_null()) token = token_of(c.at("token"));
        const auto consumer = token_of(c.at("consumer"));
        const std::string method(c.at("method").as_string());
        const std::string url(c.at("url").as_string());
        const auto signature = c.at("version") == "1.0"
                                   ? oauth_signature(consumer, method, url, parameters, token)
                                   : oauth10a_signature(consumer, method, url, parameters, token);
        BOOST_TEST(signature == c.at("signature").as_string(),
                   c.at("version").as_string()
                       << " " << method << " " << url << " consumer " << consumer.secret);
    }
}

BOOST_AUTO_TEST_CASE(the_versions_differ_only_for_secrets_that_need_escaping) {
    const OAuthToken plain{.key = "k", .secret = "plain"};
    const OAuthToken odd{.key = "k", .secret = "a&b"};
    BOOST_TEST(oauth_signature(plain, "GET", "http://x/") ==
               oauth10a_signature(plain, "GET", "http://x/"));
    BOOST_TEST(oauth_signature(odd, "GET", "http://x/") !=
               oauth10a_signature(odd, "GET", "http://x/"));
}

BOOST_AUTO_TEST_CASE(escape_equals_tornados) {
    for (const auto& entry : vectors().at("escapes").as_array()) {
        const auto& c = entry.as_object();
        BOOST_TEST(oauth_escape(c.at("value").as_string()) == c.at("escaped").as_string());
    }
}

BOOST_AUTO_TEST_CASE(token_answers_parse_as_tornado_parses_them) {
    for (const auto& entry : vectors().at("responses").as_array()) {
        const auto& c = entry.as_object();
        const auto token = oauth_parse_response(c.at("body").as_string());
        BOOST_TEST(json::value(token.to_json()) == c.at("token"), c.at("body").as_string());
    }
}

BOOST_AUTO_TEST_CASE(an_answer_without_a_token_is_an_auth_error) {
    BOOST_CHECK_THROW(oauth_parse_response("oauth_token=x"), AuthError);
    BOOST_CHECK_THROW(oauth_parse_response("<html>error</html>"), AuthError);
}

BOOST_AUTO_TEST_CASE(an_answer_cannot_replace_the_token_by_a_field_of_its_name) {
    const auto token = oauth_parse_response(
        "oauth_token=real&oauth_token_secret=s&key=forged&secret=forged&verifier=v&user_id=1");
    BOOST_TEST(token.key == "real");
    BOOST_TEST(token.secret == "s");
    BOOST_TEST(!token.verifier.has_value());
    BOOST_TEST(json::value(token.to_json()) ==
               json::parse(R"({"key": "real", "secret": "s", "user_id": "1"})"));
    BOOST_TEST((OAuthToken::from_json(token.to_json()) == token));
}

BOOST_AUTO_TEST_CASE(an_extra_field_cannot_stand_in_for_the_token_in_its_json_form) {
    const OAuthToken token{.key = "k", .secret = "s", .extra = {{"key", "x"}, {"secret", "y"}}};
    const json::object object = token.to_json();
    BOOST_TEST(object.at("key") == "k");
    BOOST_TEST(object.at("secret") == "s");
}

BOOST_AUTO_TEST_CASE(tokens_round_trip_through_json) {
    const OAuthToken token{.key = "k", .secret = "s", .extra = {{"screen_name", "foo"}}};
    BOOST_TEST((OAuthToken::from_json(token.to_json()) == token));
    BOOST_CHECK_THROW(OAuthToken::from_json(json::object{{"key", "k"}}), AuthError);
}

BOOST_AUTO_TEST_SUITE_END()
