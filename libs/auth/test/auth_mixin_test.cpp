// What every mixin shares: the handler it must be mixed into, and the provider's client.
#include <typhoon/auth/auth_mixin.hpp>

#include <typhoon/auth/oauth2_mixin.hpp>
#include <typhoon/http/http_client.hpp>
#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

namespace {

/// A mixin used on its own, not beside a RequestHandler.
struct Stray final : typhoon::auth::OAuth2Mixin {
    void go() { authorize_redirect(); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(auth_mixin_test, typhoon::testing::AsyncTestCase)

BOOST_AUTO_TEST_CASE(a_mixin_outside_a_request_handler_says_so) {
    Stray stray;
    BOOST_CHECK_EXCEPTION(stray.go(), typhoon::Error, [](const typhoon::Error& error) {
        return std::string(error.what()).find("must be a base of a web::RequestHandler") !=
               std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(the_default_client_is_the_loops_shared_one) {
    Stray stray;
    BOOST_TEST(&stray.get_auth_http_client() == &typhoon::httpclient::AsyncHTTPClient::current());
}

BOOST_AUTO_TEST_SUITE_END()
