#include <typhoon/session/session.hpp>

#include "session_app.hpp"

#include <boost/test/unit_test.hpp>

namespace {

namespace session = typhoon::session;
using boost::asio::awaitable;
using session_test::Browser;

/// A store that fails while `down` is set, as a lost Redis or database does.
class FlakyStore final : public session::SessionStore {
public:
    bool down = false;
    awaitable<std::optional<std::string>> load(std::string id) override {
        check();
        return memory_.load(std::move(id));
    }
    awaitable<void> save(std::string id, std::string record, time_point expires) override {
        check();
        return memory_.save(std::move(id), std::move(record), expires);
    }
    awaitable<void> touch(std::string id, time_point expires) override {
        check();
        return memory_.touch(std::move(id), expires);
    }
    awaitable<void> erase(std::string id) override {
        check();
        return memory_.erase(std::move(id));
    }

private:
    void check() const {
        if (down) throw session::SessionStoreError("flaky: connection refused");
    }
    session::MemoryStore memory_;
};

struct SessionMixinTest : session_test::SessionAppTest {
    FlakyStore flaky{};
    session::SessionStore& store() override { return flaky; }
};

struct SessionHTTPSTest : typhoon::testing::AsyncHTTPSTestCase {
    session::MemoryStore memory{};
    session::SessionOptions options{};
    typhoon::web::Application get_app() override { return session_test::make_app(memory, options); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(session_test)

BOOST_AUTO_TEST_SUITE(the_session_object)

BOOST_AUTO_TEST_CASE(get_set_erase_contains_and_clear_work_on_json_values) {
    session::Session s;
    BOOST_TEST(s.is_new());
    BOOST_TEST(!s.modified());
    BOOST_TEST(!s.get("cart").has_value());
    BOOST_TEST(s.get("visits", 0).as_int64() == 0);
    s.set("cart", boost::json::array{"apple", "pear"});
    s.set("visits", 3);
    BOOST_TEST(s.modified());
    BOOST_TEST(s.contains("cart"));
    BOOST_TEST(s.get("cart")->as_array().size() == 2u);
    BOOST_TEST(s.get("visits", 0).as_int64() == 3);
    BOOST_TEST(s.erase("visits"));
    BOOST_TEST(!s.erase("visits"));
    BOOST_TEST(!s.contains("visits"));
    s.clear();
    BOOST_TEST(s.data().empty());
}

BOOST_AUTO_TEST_CASE(reading_and_erasing_nothing_leave_it_unmodified) {
    session::Session s;
    s.get("a");
    s.contains("a");
    s.erase("a");
    s.clear();
    BOOST_TEST(!s.modified());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(the_mixin, SessionMixinTest)

BOOST_AUTO_TEST_CASE(the_cookie_is_signed_httponly_samesite_lax_and_not_secure_over_http) {
    Browser browser;
    browse(browser, "/set?key=a&value=b");
    const auto cookies = last.headers.get_list("Set-Cookie");
    BOOST_TEST_REQUIRE(cookies.size() == 1u);
    const std::string cookie(cookies[0]);
    BOOST_TEST(cookie.starts_with("session=2|"), cookie);  // a version 2 signed value
    BOOST_TEST(cookie.find("; HttpOnly") != std::string::npos, cookie);
    BOOST_TEST(cookie.find("; SameSite=Lax") != std::string::npos, cookie);
    BOOST_TEST(cookie.find("; Path=/") != std::string::npos, cookie);
    BOOST_TEST(cookie.find("; expires=") != std::string::npos, cookie);
    BOOST_TEST(cookie.find("Secure") == std::string::npos, cookie);
}

BOOST_AUTO_TEST_CASE(the_cookie_name_and_attributes_are_options) {
    options.cookie_name = "sid";
    options.samesite = "Strict";
    options.secure = true;
    options.path = "/app";
    Browser browser;
    browse(browser, "/set?key=a&value=b");
    const std::string cookie(last.headers.get_list("Set-Cookie").at(0));
    BOOST_TEST(cookie.starts_with("sid="), cookie);
    BOOST_TEST(cookie.find("; SameSite=Strict") != std::string::npos, cookie);
    BOOST_TEST(cookie.find("; Secure") != std::string::npos, cookie);
    BOOST_TEST(cookie.find("; Path=/app") != std::string::npos, cookie);
}

BOOST_AUTO_TEST_CASE(a_failing_store_answers_503_and_the_next_request_recovers) {
    Browser browser;
    browse(browser, "/set?key=name&value=Ada");
    flaky.down = true;
    {
        typhoon::testing::ExpectLog logged{typhoon::log::gen_log, "session store: flaky"};
        browse(browser, "/get", 503);
        browse(browser, "/set?key=name&value=Bob", 503);
        BOOST_TEST(logged.matched() >= 2);
    }
    flaky.down = false;
    BOOST_TEST(browse(browser, "/get").at("data").at("name").as_string() == "Ada");
}

BOOST_AUTO_TEST_CASE(a_cookie_of_another_name_is_not_a_session_cookie) {
    Browser browser;
    browser.cookies["other"] = "x";
    BOOST_TEST(browse(browser, "/get").at("new").as_bool());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(over_https, SessionHTTPSTest)

BOOST_AUTO_TEST_CASE(the_cookie_is_secure_when_the_request_came_over_https) {
    const auto response = fetch("/set?key=a&value=b");
    BOOST_TEST(response.code == 200);
    const std::string cookie(response.headers.get_list("Set-Cookie").at(0));
    BOOST_TEST(cookie.find("; Secure") != std::string::npos, cookie);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()
