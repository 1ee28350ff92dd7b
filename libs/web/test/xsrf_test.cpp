// XSRF protection through real HTTP requests. Status codes, cookie shapes and log lines are
// those of Debian's python3-tornado 6.2 with xsrf_cookies=True on the same requests.
#include <typhoon/web/request_handler.hpp>

#include <typhoon/web.hpp>

#include <typhoon/core/log_capture.hpp>
#include <typhoon/template/loader.hpp>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

#include <regex>

using namespace typhoon;
using namespace web_test;
namespace json = boost::json;

namespace {

class FormHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    json::value get_current_user() override {
        const auto user = request().headers.get("X-User");
        return user ? json::value(json::string(*user)) : json::value(nullptr);
    }
    awaitable<void> get() override {
        write(xsrf_token());
        co_return;
    }
    awaitable<void> post() override {
        write("posted");
        co_return;
    }
    awaitable<void> put() override {
        write("put");
        co_return;
    }
    awaitable<void> delete_() override {
        write("deleted");
        co_return;
    }
    awaitable<void> patch() override {
        write("patched");
        co_return;
    }
    awaitable<void> options() override {
        write("options");
        co_return;
    }
};

class TemplateHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        render("form.html");
        co_return;
    }
};

web::Application make_app(web::Settings settings) {
    settings.xsrf_cookies = true;
    settings.template_loader =
        std::make_shared<templates::DictLoader>(templates::DictLoader::Sources{
            {"form.html",
             "<form>{% module xsrf_form_html() %}</form><form>{% raw xsrf_form_html() %}</form>"}});
    return web::Application(
        {web::url<FormHandler>("/form"), web::url<TemplateHandler>("/template")},
        std::move(settings));
}

/// Serves make_app(settings); a derived fixture may change the settings before setup().
struct XsrfFixture : testing::AsyncHTTPTestCase {
    web::Settings settings{};
    web::Application get_app() override { return make_app(settings); }

    static std::vector<std::string> set_cookies(const httpclient::HTTPResponse& response) {
        std::vector<std::string> lines;
        for (const auto line : response.headers.get_list("Set-Cookie"))
            lines.emplace_back(line);
        return lines;
    }

    /// A form sent with `method` (any: the client is told to allow a body on each).
    httpclient::HTTPResponse post(std::string body, std::map<std::string, std::string> extra = {},
                                  std::string method = "POST", std::string path = "/form") {
        auto fields = headers({{"Content-Type", "application/x-www-form-urlencoded"}});
        for (const auto& [name, value] : extra)
            fields.add(name, value);
        return fetch(path, {.method = std::move(method),
                            .headers = std::move(fields),
                            .body = std::move(body),
                            .allow_nonstandard_methods = true});
    }
    httpclient::HTTPResponse get_with_cookie(const std::string& cookie) {
        return fetch("/form", {.headers = headers({{"Cookie", cookie}})});
    }
};

struct Version1Tokens : XsrfFixture {
    Version1Tokens() { settings = {.xsrf_cookie_version = 1}; }
};
struct CookieOptions : XsrfFixture {
    CookieOptions() { settings = {.xsrf_cookie_kwargs = {.httponly = true, .secure = true}}; }
};

// A version 2 token: "2|" 4-byte mask "|" masked 16-byte token "|" timestamp.
const std::regex v2_token("2\\|[0-9a-f]{8}\\|[0-9a-f]{32}\\|[0-9]+");

// The 16 token bytes under a version 2 token's mask, in hex.
std::string unmasked(const std::string& token) {
    const auto mask = token.substr(2, 8);
    const auto masked = token.substr(11, 32);
    std::string out;
    for (std::size_t i = 0; i < 32; i += 2) {
        const int byte = std::stoi(masked.substr(i, 2), nullptr, 16) ^
                         std::stoi(mask.substr((i % 8), 2), nullptr, 16);
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", byte);
        out += hex;
    }
    return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(xsrf_test, XsrfFixture)

BOOST_AUTO_TEST_CASE(first_visit_sets_a_masked_version_2_cookie) {
    const auto response = fetch("/form");
    BOOST_TEST(std::regex_match(response.body, v2_token));
    BOOST_TEST(
        set_cookies(response) == std::vector<std::string>{"_xsrf=" + response.body + "; Path=/"},
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(later_visits_keep_the_cookie_and_remask_the_token) {
    const std::string cookie = fetch("/form").body;
    const auto again = get_with_cookie("_xsrf=" + cookie);
    BOOST_TEST(set_cookies(again).empty());
    BOOST_TEST(std::regex_match(again.body, v2_token));
    BOOST_TEST(unmasked(again.body) == unmasked(cookie));
    BOOST_TEST(again.body.substr(again.body.rfind('|')) == cookie.substr(cookie.rfind('|')));
}

BOOST_AUTO_TEST_CASE(a_form_post_with_the_token_passes) {
    const std::string cookie = fetch("/form").body;
    const std::string token = get_with_cookie("_xsrf=" + cookie).body;
    const auto response = post("_xsrf=" + token, {{"Cookie", "_xsrf=" + cookie}});
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "posted");
}

BOOST_AUTO_TEST_CASE(the_token_may_come_in_a_header) {
    const std::string cookie = fetch("/form").body;
    for (const char* header : {"X-XSRFToken", "X-CSRFToken"}) {
        const auto response = post("", {{"Cookie", "_xsrf=" + cookie}, {header, cookie}});
        BOOST_TEST(response.code == 200);
    }
}

BOOST_AUTO_TEST_CASE(every_unsafe_method_is_checked_and_safe_ones_are_not) {
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH"})
        BOOST_TEST(post("", {}, method).code == 403);
    BOOST_TEST(post("", {}, "OPTIONS").body == "options");
    BOOST_TEST(fetch("/form").code == 200);
}

BOOST_AUTO_TEST_CASE(a_missing_token_is_a_403_with_tornados_log_line) {
    testing::ExpectLog expected{
        log::gen_log, R"(^403 POST /form \(127\.0\.0\.1\): '_xsrf' argument missing from POST)"};
    const auto response = post("a=1");
    BOOST_TEST(response.code == 403);
    BOOST_TEST(response.body ==
               "<html><title>403: Forbidden</title><body>403: Forbidden</body></html>");
}

BOOST_AUTO_TEST_CASE(a_token_of_another_cookie_is_a_403) {
    testing::ExpectLog mismatch{
        log::gen_log,
        R"(^403 POST /form \(127\.0\.0\.1\): XSRF cookie does not match POST argument)"};
    const std::string mine = fetch("/form").body;
    const std::string theirs = fetch("/form").body;
    BOOST_TEST(post("_xsrf=" + theirs, {{"Cookie", "_xsrf=" + mine}}).code == 403);
    BOOST_TEST(post("_xsrf=abcd", {{"Cookie", "_xsrf=2|01020304|a0a1a2a3|17"}}).code == 403);
    BOOST_TEST(post("_xsrf=" + mine).code == 403);  // no cookie at all
}

BOOST_AUTO_TEST_CASE(a_malformed_token_is_a_403) {
    testing::ExpectLog expected{log::gen_log, "'_xsrf' argument has invalid format"};
    for (const char* bad : {"2|zz|00|1", "2|01020304|0", "2|01020304|00", "3|a|b|c"})
        BOOST_TEST(post(std::string("_xsrf=") + bad, {{"Cookie", "_xsrf=abcd"}}).code == 403);
}

BOOST_AUTO_TEST_CASE(version_1_tokens_are_accepted) {
    BOOST_TEST(post("_xsrf=abcd", {{"Cookie", "_xsrf=abcd"}}).code == 200);
    BOOST_TEST(post("_xsrf=not-hex", {{"Cookie", "_xsrf=not-hex"}}).code == 200);
    // A version 2 token of the same bytes as a version 1 cookie.
    BOOST_TEST(post("_xsrf=2|00000000|abcd|0", {{"Cookie", "_xsrf=abcd"}}).code == 200);
    // A short mask works as Tornado's C mask function has it: padded with a zero byte.
    BOOST_TEST(post("_xsrf=2|0102|aacfbb|1", {{"Cookie", "_xsrf=abcdbb"}}).code == 200);
    BOOST_TEST(post("_xsrf=2|0102|00|1", {{"Cookie", "_xsrf=abcd"}}).code == 403);
}

BOOST_AUTO_TEST_CASE(posts_to_unknown_paths_are_404_not_403) {
    BOOST_TEST(post("", {}, "POST", "/nowhere").code == 404);
}

BOOST_AUTO_TEST_CASE(templates_get_xsrf_form_html_as_module_and_function) {
    const auto response = fetch("/template");
    static const std::regex page(
        "<form><input type=\"hidden\" name=\"_xsrf\" value=\"(2\\|[^\"]+)\"/></form>"
        "<form><input type=\"hidden\" name=\"_xsrf\" value=\"(2\\|[^\"]+)\"/></form>");
    std::smatch match;
    BOOST_TEST_REQUIRE(std::regex_match(response.body, match, page));
    BOOST_TEST(match[1].str() == match[2].str());  // one token per request
    BOOST_TEST(set_cookies(response).size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(version_1_tokens_are_issued_when_configured, Version1Tokens) {
    const auto response = fetch("/form");
    BOOST_TEST(std::regex_match(response.body, std::regex("[0-9a-f]{32}")));
    BOOST_TEST(
        set_cookies(response) == std::vector<std::string>{"_xsrf=" + response.body + "; Path=/"},
        boost::test_tools::per_element());
    BOOST_TEST(post("_xsrf=" + response.body, {{"Cookie", "_xsrf=" + response.body}}).code == 200);
}

BOOST_FIXTURE_TEST_CASE(cookie_options_and_logged_in_users_get_a_lasting_cookie, CookieOptions) {
    const auto anonymous = set_cookies(fetch("/form"));
    BOOST_TEST_REQUIRE(anonymous.size() == 1u);
    BOOST_TEST(anonymous[0].ends_with("; HttpOnly; Path=/; Secure"));
    BOOST_TEST(anonymous[0].find("expires=") == std::string::npos);
    const auto user = set_cookies(fetch("/form", {.headers = headers({{"X-User", "ada"}})}));
    BOOST_TEST_REQUIRE(user.size() == 1u);
    BOOST_TEST(user[0].find("; expires=") != std::string::npos);
    BOOST_TEST(user[0].ends_with(" GMT; HttpOnly; Path=/; Secure"));
}

BOOST_AUTO_TEST_SUITE_END()
