// The testing chapter's test, run by CTest as doc.test_greet: what a user's test file looks like.
#define BOOST_TEST_MODULE greet
#include <typhoon/testing.hpp>
#include <typhoon/web.hpp>

#include <boost/test/unit_test.hpp>

// guide:begin app
namespace web = typhoon::web;

class GreetHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    boost::asio::awaitable<void> get() override {
        write("Hello, " + get_argument("name"));
        co_return;
    }
};

web::Application make_app() {
    return web::Application({web::url<GreetHandler>("/greet")});
}
// guide:end app

// guide:begin test
namespace {
struct GreetTest : typhoon::testing::AsyncHTTPTestCase {
    web::Application get_app() override { return make_app(); }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(greet, GreetTest)

BOOST_AUTO_TEST_CASE(greets_the_name) {
    const auto response = fetch("/greet?name=Ada");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "Hello, Ada");
}

BOOST_AUTO_TEST_CASE(missing_name_is_400) {
    typhoon::testing::ExpectLog expected{typhoon::log::gen_log, "Missing argument name"};
    BOOST_TEST(fetch("/greet").code == 400);  // non-2xx is returned, not thrown
}

TYPHOON_GEN_TEST(with_the_client) {  // the body is a coroutine on the test's IOLoop
    const auto response = co_await http_client().fetch(get_url("/greet?name=Bo"));
    BOOST_TEST(response.body == "Hello, Bo");
}

BOOST_AUTO_TEST_SUITE_END()
// guide:end test
