// OpenIdMixin against a fake OpenID 2.0 provider in the same application (Tornado's auth_test.py
// OpenId cases, plus a full round trip with attribute exchange and a forged assertion).
#include <typhoon/auth/openid_mixin.hpp>

#include "auth_fixture.hpp"

using namespace auth_test;

namespace {

class OpenIdClientLoginHandler final : public web::RequestHandler, public auth::OpenIdMixin {
public:
    using RequestHandler::RequestHandler;
    void initialize(AuthFixture& test) {
        test_ = &test;
        openid_endpoint = test.get_url("/openid/server/authenticate");
    }
    httpclient::AsyncHTTPClient& get_auth_http_client() override { return test_->http_client(); }
    awaitable<void> get() override {
        if (get_argument("openid.mode", std::nullopt)) {
            log_in(*this, co_await get_authenticated_user());
            co_return;
        }
        authenticate_redirect();
    }

private:
    AuthFixture* test_ = nullptr;
};

/// A relative callback and fewer attributes, to a real provider's URL.
class OpenIdOptionsHandler final : public web::RequestHandler, public auth::OpenIdMixin {
public:
    using RequestHandler::RequestHandler;
    void initialize() { openid_endpoint = "https://openid.example.com/server"; }
    awaitable<void> get() override {
        authenticate_redirect({.callback_uri = "../done?x=1", .ax_attrs = {"email"}});
        co_return;
    }
};

struct OpenIdTest : AuthFixture {
    std::vector<web::URLSpec> client_routes() override {
        return {web::url<OpenIdClientLoginHandler>("/openid/client/login", {}, std::ref(*this)),
                web::url<OpenIdOptionsHandler>("/a/b/start")};
    }
};

typhoon::httputil::Arguments query_of(const std::string& location) {
    return typhoon::httputil::parse_qs_bytes(location.substr(location.find('?') + 1));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(openid_mixin_test, OpenIdTest)

BOOST_AUTO_TEST_CASE(redirect_goes_to_the_endpoint_with_the_openid_arguments) {
    const auto response = step("/openid/client/login");
    BOOST_TEST(response.code == 302);
    const auto location = response.headers.get("Location", "");
    BOOST_TEST(location.starts_with(get_url("/openid/server/authenticate?")));
    const auto query = query_of(location);
    BOOST_TEST(query.at("openid.mode").at(0) == "checkid_setup");
    BOOST_TEST(query.at("openid.return_to").at(0) == get_url("/openid/client/login"));
    BOOST_TEST(query.at("openid.realm").at(0) == get_url("/"));
    BOOST_TEST(query.at("openid.ns.ax").at(0) == "http://openid.net/srv/ax/1.0");
    BOOST_TEST(query.at("openid.ax.required").at(0) ==
               "firstname,fullname,lastname,email,language,username");
    BOOST_TEST(query.at("openid.ax.type.username").at(0) ==
               "http://axschema.org/namePerson/friendly");
}

BOOST_AUTO_TEST_CASE(login_round_trip_returns_the_attribute_exchange_user) {
    const auto response = browse("/openid/client/login");
    BOOST_TEST_REQUIRE(response.code == 200);
    BOOST_TEST(visited.size() == 3u);  // login → provider → login with the assertion
    const auto user = escape::json_decode(response.body);
    BOOST_TEST(user == json::parse(R"({"first_name": "Foo", "last_name": "Bar",
        "name": "Foo Bar", "email": "foo@example.com", "locale": "en-us",
        "claimed_id": "https://openid.example.com/id/foo"})"));
    const auto me = browse("/whoami");  // the signed cookie carries the user to the next page
    BOOST_TEST(me.code == 200);
    BOOST_TEST(escape::json_decode(me.body).at("email") == "foo@example.com");
}

BOOST_AUTO_TEST_CASE(get_user_from_an_assertion_as_tornado_tests_it) {
    const auto response = fetch(
        "/openid/client/login?openid.mode=blah&openid.sig=good"
        "&openid.signed=ns.ax,ax.type.email,ax.value.email"
        "&openid.ns.ax=http://openid.net/srv/ax/1.0"
        "&openid.ax.type.email=http://axschema.org/contact/email"
        "&openid.ax.value.email=foo@example.com");
    BOOST_TEST_REQUIRE(response.code == 200);
    const auto user = escape::json_decode(response.body);
    BOOST_TEST(user.at("email") == "foo@example.com");
    BOOST_TEST(user.at("name") == "foo");  // from the email, as Tornado does without a name
}

BOOST_AUTO_TEST_CASE(an_attribute_the_signature_does_not_cover_is_ignored) {
    // A genuine assertion that signs no email, with an email added to the query by whoever
    // forwarded the browser: the provider says is_valid:true, but only for what it signed.
    const auto response = fetch(
        "/openid/client/login?openid.mode=id_res&openid.sig=good"
        "&openid.signed=mode,claimed_id,ns.ext1,ext1.type.first,ext1.value.first"
        "&openid.claimed_id=https://openid.example.com/id/foo"
        "&openid.ns.ext1=http://openid.net/srv/ax/1.0"
        "&openid.ext1.type.first=http://axschema.org/namePerson/first"
        "&openid.ext1.value.first=Foo"
        "&openid.ns.ax=http://openid.net/srv/ax/1.0"
        "&openid.ax.type.email=http://axschema.org/contact/email"
        "&openid.ax.value.email=admin@example.com"
        "&openid.ext1.type.email=http://axschema.org/contact/email"
        "&openid.ext1.value.email=admin@example.com");
    BOOST_TEST_REQUIRE(response.code == 200);
    const auto user = escape::json_decode(response.body);
    BOOST_TEST(!user.as_object().contains("email"));
    BOOST_TEST(response.body.find("admin@example.com") == std::string::npos);
    BOOST_TEST(user.at("first_name") == "Foo");
    BOOST_TEST(user.at("claimed_id") == "https://openid.example.com/id/foo");
}

BOOST_AUTO_TEST_CASE(an_unsigned_claimed_id_is_ignored) {
    const auto response = fetch(
        "/openid/client/login?openid.mode=id_res&openid.sig=good&openid.signed=mode"
        "&openid.claimed_id=https://openid.example.com/id/admin");
    BOOST_TEST_REQUIRE(response.code == 200);
    BOOST_TEST(!escape::json_decode(response.body).as_object().contains("claimed_id"));
}

BOOST_AUTO_TEST_CASE(a_forged_assertion_logs_nobody_in) {
    failed_login(
        "/openid/client/login?openid.mode=id_res&openid.sig=forged"
        "&openid.ns.ax=http://openid.net/srv/ax/1.0"
        "&openid.ax.type.email=http://axschema.org/contact/email"
        "&openid.ax.value.email=admin@example.com",
        "Invalid OpenID response: 'is_valid:false");
}

BOOST_AUTO_TEST_CASE(a_provider_error_is_an_auth_error) {
    misbehaviour = {"/openid/server/authenticate", Failure::error_status};
    failed_login("/openid/client/login", "Error response from POST " +
                                             get_url("/openid/server/authenticate") +
                                             ": HTTP 500: Internal Server Error");
}

BOOST_AUTO_TEST_CASE(callback_uri_and_attributes_can_be_chosen) {
    const auto location = step("/a/b/start").headers.get("Location", "");
    BOOST_TEST(location.starts_with("https://openid.example.com/server?"));
    const auto query = query_of(location);
    BOOST_TEST(query.at("openid.return_to").at(0) == get_url("/a/done?x=1"));
    BOOST_TEST(query.at("openid.ax.required").at(0) == "email");
    BOOST_TEST(!query.contains("openid.ax.type.firstname"));
}

BOOST_AUTO_TEST_SUITE_END()
