// Plain cookies through real HTTP requests. The expected Set-Cookie lines are what Debian's
// python3-tornado 6.2 sends for the same calls (RequestHandler.set_cookie and friends).
#include <typhoon/web/cookies.hpp>

#include <typhoon/web.hpp>

#include <typhoon/core/log_capture.hpp>
#include <typhoon/http/timestamp.hpp>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace web_test;

namespace {

std::chrono::system_clock::time_point utc(int year, unsigned month, unsigned day, int hour,
                                          int minute, int second) {
    using namespace std::chrono;
    return sys_days(std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day)) +
           hours(hour) + minutes(minute) + seconds(second);
}

class SetCookieHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        const auto kind = get_argument("kind");
        if (kind == "all") {
            set_cookie("a", "b",
                       {.domain = "example.com",
                        .expires = utc(2030, 1, 2, 3, 4, 5),
                        .path = "/p",
                        .max_age = 60,
                        .httponly = true,
                        .secure = true,
                        .samesite = "Lax"});
        } else if (kind == "quote") {
            set_cookie("q", "x\"y\\z;\xc3\xa9,=(a)");
            set_cookie("empty", "");
            set_cookie("plain", "abc!#$%&'*+-.^_`|~:");
        } else if (kind == "replace") {
            set_cookie("first", "1");
            set_cookie("second", "2");
            set_cookie("first", "3", {.path = ""});
        } else if (kind == "error") {
            set_cookie("kept", "yes");
            throw web::HTTPError(404);
        } else if (kind == "bad") {
            set_cookie("bad", "a b");
        } else if (kind == "reserved") {
            set_cookie("path", "x");
        } else if (kind == "days") {
            set_cookie("d", "1", {.expires_days = 2});
        } else if (kind == "clear") {
            clear_cookie("gone", "/x", "d.example");
        } else if (kind == "clear_all") {
            clear_all_cookies("/x", "d.example");
        } else if (kind == "stream") {
            set_cookie("early", "1");
            write("first;");
            co_await flush();
            write("second");
        }
        write("ok");
    }
};

class GetCookieHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(get_cookie("name").value_or("<none>") + ";" + get_cookie("other", "fallback") + ";" +
              std::to_string(cookies().size()));
        co_return;
    }
};

struct CookieFixture : testing::AsyncHTTPTestCase {
    web::Application get_app() override {
        return web::Application(
            {web::url<SetCookieHandler>("/set"), web::url<GetCookieHandler>("/get")});
    }

    std::vector<std::string> set_cookies(const httpclient::HTTPResponse& response) {
        std::vector<std::string> lines;
        for (const auto line : response.headers.get_list("Set-Cookie"))
            lines.emplace_back(line);
        return lines;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(cookies_test, CookieFixture)

BOOST_AUTO_TEST_CASE(every_attribute_in_the_order_python_writes_them) {
    const auto lines = set_cookies(fetch("/set?kind=all"));
    BOOST_TEST(lines ==
                   std::vector<std::string>{
                       "a=b; Domain=example.com; expires=Wed, 02 Jan 2030 03:04:05 GMT; "
                       "HttpOnly; Max-Age=60; Path=/p; SameSite=Lax; Secure"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(values_are_quoted_as_http_cookies_quotes_them) {
    const auto lines = set_cookies(fetch("/set?kind=quote"));
    BOOST_TEST(lines == (std::vector<std::string>{R"x(q="x\"y\\z\073\351\054=(a)"; Path=/)x",
                                                  R"(empty=""; Path=/)",
                                                  "plain=abc!#$%&'*+-.^_`|~:; Path=/"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(setting_a_name_again_replaces_it_and_moves_it_last) {
    const auto lines = set_cookies(fetch("/set?kind=replace"));
    BOOST_TEST(lines == (std::vector<std::string>{"second=2; Path=/", "first=3"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cookies_survive_an_error_page) {
    const auto response = fetch("/set?kind=error");
    BOOST_TEST(response.code == 404);
    BOOST_TEST(set_cookies(response) == std::vector<std::string>{"kept=yes; Path=/"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unsafe_values_and_reserved_names_are_a_500) {
    log::LogCapture capture{{.logger = &log::app_log}};
    for (const char* kind : {"bad", "reserved"}) {
        const auto response = fetch(std::string("/set?kind=") + kind);
        BOOST_TEST(response.code == 500);
        BOOST_TEST(set_cookies(response).empty());
    }
    const auto records = capture.records();
    BOOST_TEST(std::any_of(records.begin(), records.end(), [](const log::Record& record) {
        return record.exception.ends_with("Invalid cookie 'bad': 'a b'");
    }));
    BOOST_TEST(std::any_of(records.begin(), records.end(), [](const log::Record& record) {
        return record.exception.ends_with("Illegal cookie name 'path'");
    }));
}

BOOST_AUTO_TEST_CASE(expires_days_counts_from_now) {
    const auto before = std::chrono::system_clock::now();
    const auto lines = set_cookies(fetch("/set?kind=days"));
    BOOST_TEST_REQUIRE(lines.size() == 1u);
    const auto in_two_days = before + std::chrono::hours(48);
    // The date has a resolution of one second; the request takes well under one.
    const std::string low = httputil::format_timestamp(in_two_days);
    const std::string high = httputil::format_timestamp(in_two_days + std::chrono::seconds(2));
    const std::string expires = lines[0].substr(lines[0].find("expires=") + 8, 29);
    BOOST_TEST((expires == low || expires == high ||
                expires == httputil::format_timestamp(in_two_days + std::chrono::seconds(1))));
    BOOST_TEST(lines[0].starts_with("d=1; expires="));
    BOOST_TEST(lines[0].ends_with(" GMT; Path=/"));
}

BOOST_AUTO_TEST_CASE(clear_cookie_sends_an_empty_value_expired_a_year_ago) {
    const auto expected_date =
        httputil::format_timestamp(std::chrono::system_clock::now() - std::chrono::hours(24 * 365));
    const auto lines = set_cookies(fetch("/set?kind=clear"));
    BOOST_TEST_REQUIRE(lines.size() == 1u);
    // Tornado: gone=""; Domain=d.example; expires=<a year ago>; Path=/x
    BOOST_TEST(lines[0].starts_with("gone=\"\"; Domain=d.example; expires="));
    BOOST_TEST(lines[0].ends_with("; Path=/x"));
    BOOST_TEST(lines[0].substr(0, 40) ==
               ("gone=\"\"; Domain=d.example; expires=" + expected_date).substr(0, 40));
}

BOOST_AUTO_TEST_CASE(clear_all_cookies_clears_each_request_cookie) {
    const auto lines =
        set_cookies(fetch("/set?kind=clear_all", {.headers = headers({{"Cookie", "a=1; b=2"}})}));
    BOOST_TEST_REQUIRE(lines.size() == 2u);
    BOOST_TEST(lines[0].starts_with("a=\"\"; Domain=d.example; expires="));
    BOOST_TEST(lines[1].starts_with("b=\"\"; Domain=d.example; expires="));
    BOOST_TEST(lines[1].ends_with("; Path=/x"));
}

BOOST_AUTO_TEST_CASE(cookies_go_out_with_the_first_flush) {
    const auto response = fetch("/set?kind=stream");
    BOOST_TEST(response.body == "first;secondok");
    BOOST_TEST(set_cookies(response) == std::vector<std::string>{"early=1; Path=/"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(get_cookie_reads_the_request_with_defaults) {
    BOOST_TEST(
        fetch("/get", {.headers = headers({{"Cookie", "name=\"quoted\\\"value\"; x=1"}})}).body ==
        "quoted\"value;fallback;2");
    BOOST_TEST(fetch("/get").body == "<none>;fallback;0");
}

BOOST_AUTO_TEST_SUITE_END()
