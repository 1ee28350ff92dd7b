// The demo's sign-in flows end to end, offline: a browser (cookies kept between steps) goes from
// the protected page to the login page, to the fake provider's consent page, approves, and comes
// back signed in with a signed cookie.
#include "auth_login.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/core/log_capture.hpp>
#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

#include <map>
#include <regex>

namespace {

namespace httpclient = typhoon::httpclient;

struct AuthLoginTest : typhoon::testing::AsyncHTTPTestCase {
    auth_login::AuthLoginOptions options{};
    auth_login::FakeProviders fakes{};
    typhoon::testing::CookieJar browser{};
    std::map<std::string, std::string>& cookies = browser.cookies;

    typhoon::web::Application get_app() override { return auth_login::make_app(options, fakes); }

    /// One request as a browser sends it, keeping the cookies it is given.
    httpclient::HTTPResponse step(const std::string& url) {
        httpclient::HTTPRequest request{.follow_redirects = false};
        browser.prepare(request);
        auto response = fetch(url, std::move(request));
        browser.take(response);
        return response;
    }
    /// Follows redirects from `url`.
    httpclient::HTTPResponse browse(std::string url) {
        for (int i = 0; i < 10; ++i) {
            auto response = step(url);
            if (response.code < 300 || response.code >= 400) return response;
            url = response.headers.get("Location", "");
        }
        BOOST_FAIL("redirect loop");
        return {};
    }
    /// The href of the link with id `id` on `page`, as a browser would follow it.
    static std::string link(const std::string& page, const std::string& id) {
        std::smatch match;
        BOOST_REQUIRE(
            std::regex_search(page, match, std::regex("id=\"" + id + "\" href=\"([^\"]*)\"")));
        std::string href = match[1];
        for (std::size_t at; (at = href.find("&amp;")) != std::string::npos;)
            href.replace(at, 5, "&");
        return href;
    }

    /// From "/" to the provider's consent page.
    httpclient::HTTPResponse consent_page(const std::string& provider) {
        const auto login = browse("/");
        BOOST_TEST(login.effective_url == get_url("/login?next=%2F"));
        return browse(link(login.body, provider));
    }
};

/// The same application keeping its users in server-side sessions (--sessions=memory://).
struct AuthLoginSessionTest : AuthLoginTest {
    auth_login::SessionBackend backend{"memory://"};
    AuthLoginSessionTest() { options.sessions = &backend.store(); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(auth_login_test, AuthLoginTest)

BOOST_AUTO_TEST_CASE(the_home_page_sends_strangers_to_the_login_page) {
    const auto response = step("/");
    BOOST_TEST(response.code == 302);
    BOOST_TEST(response.headers.get("Location", "") == "/login?next=%2F");
}

BOOST_AUTO_TEST_CASE(sign_in_with_google_end_to_end) {
    const auto consent = consent_page("google");
    BOOST_TEST_REQUIRE(consent.code == 200);
    BOOST_TEST(consent.body.find("Sign in as <b>Ada Lovelace</b>") != std::string::npos);
    BOOST_TEST(consent.body.find("(profile email)") != std::string::npos);
    const auto home = browse(link(consent.body, "approve"));
    BOOST_TEST_REQUIRE(home.code == 200, home.body);
    BOOST_TEST(home.effective_url == get_url("/"));
    BOOST_TEST(home.body.find("Hello, <b>Ada Lovelace</b>! You signed in with Google.") !=
               std::string::npos);
    // The user is in a signed cookie (Tornado's v2 format: "2|1:0|..."), not in plain text.
    BOOST_TEST(cookies.at("user").starts_with("\"2|1:0|"));
    BOOST_TEST(!cookies.contains("oauth_state"));
}

BOOST_AUTO_TEST_CASE(sign_in_returns_to_a_local_next) {
    const auto login = browse("/login?next=%2F%3Ffrom%3Dlogin");
    BOOST_TEST(link(login.body, "google") == "/auth/google?next=%2F%3Ffrom%3Dlogin");
    const auto home = browse(link(browse(link(login.body, "google")).body, "approve"));
    BOOST_TEST_REQUIRE(home.code == 200, home.body);
    BOOST_TEST(home.effective_url == get_url("/?from=login"));
    BOOST_TEST(!cookies.contains("next"));
}

BOOST_AUTO_TEST_CASE(a_next_on_another_site_is_refused_for_the_home_page) {
    for (const std::string next : {"%2F%2Fevil.example%2F", "%2F%5Cevil.example",
                                   "%5C%5Cevil.example", "https%3A%2F%2Fevil.example%2F"}) {
        cookies.clear();
        const auto login = browse("/login?next=" + next);
        BOOST_TEST(link(login.body, "github") == "/auth/github?next=%2F", next);
        // Straight to the provider's handler with a hostile next, skipping the login page.
        const auto consent = browse("/auth/github?next=" + next);
        std::string last;
        auto response = step(link(consent.body, "approve"));
        while (response.code >= 300 && response.code < 400) {
            last = response.headers.get("Location", "");
            response = step(last);
        }
        BOOST_TEST(last == "/", next);
        BOOST_TEST(response.body.find("You signed in with GitHub") != std::string::npos, next);
    }
}

BOOST_AUTO_TEST_CASE(sign_in_with_github_end_to_end) {
    const auto consent = consent_page("github");
    BOOST_TEST(consent.body.find("(read:user)") != std::string::npos);
    const auto home = browse(link(consent.body, "approve"));
    BOOST_TEST_REQUIRE(home.code == 200, home.body);
    BOOST_TEST(home.body.find("Hello, <b>The Octocat</b>! You signed in with GitHub.") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(signing_out_forgets_the_user) {
    browse(link(consent_page("github").body, "approve"));
    BOOST_TEST(step("/").code == 200);
    BOOST_TEST(browse("/logout").effective_url == get_url("/login"));
    BOOST_TEST(step("/").code == 302);
}

BOOST_AUTO_TEST_CASE(denying_consent_signs_nobody_in) {
    typhoon::log::LogCapture capture{{.logger = &typhoon::log::app_log}};
    const auto page = browse(link(consent_page("google").body, "deny"));
    BOOST_TEST(page.code == 403);
    BOOST_TEST(page.body.find("Google said access_denied") != std::string::npos);
    BOOST_TEST(capture.contains("Sign-in failed: Google said access_denied"));
    BOOST_TEST(step("/").code == 302);
}

BOOST_AUTO_TEST_CASE(a_callback_this_browser_did_not_start_is_refused) {
    // An attacker's own valid code, planted in the victim's browser: no state cookie matches.
    typhoon::log::LogCapture capture{{.logger = &typhoon::log::app_log}};
    const auto code = fakes.github.issue_code(get_url("/auth/github"));
    const auto page = step("/auth/github?code=" + code + "&state=attacker");
    BOOST_TEST(page.code == 403);
    BOOST_TEST(page.body.find("OAuth state does not match") != std::string::npos);
    BOOST_TEST(!cookies.contains("user"));
}

BOOST_AUTO_TEST_CASE(a_code_the_provider_refuses_is_a_clean_403) {
    typhoon::log::LogCapture capture{{.logger = &typhoon::log::app_log}};
    const auto consent = consent_page("google");
    // Use the consent page's state but a code the provider never issued.
    std::smatch state;
    const auto approve = link(consent.body, "approve");
    BOOST_REQUIRE(std::regex_search(approve, state, std::regex("state=([0-9a-f]+)")));
    const auto page = step("/auth/google?code=forged&state=" + state[1].str());
    BOOST_TEST(page.code == 403);
    BOOST_TEST(page.body.find("invalid_grant") != std::string::npos);
    BOOST_TEST(capture.contains("Sign-in failed"));
    BOOST_TEST(step("/").code == 302);
}

BOOST_AUTO_TEST_CASE(an_unknown_provider_is_refused) {
    auth_login::AuthLoginOptions bad{.provider = "myspace"};
    BOOST_CHECK_THROW(auth_login::make_app(bad, fakes), typhoon::Error);
}

BOOST_FIXTURE_TEST_SUITE(with_sessions, AuthLoginSessionTest)

BOOST_AUTO_TEST_CASE(the_user_lives_in_a_session_and_the_browser_holds_only_its_id) {
    const auto home = browse(link(consent_page("google").body, "approve"));
    BOOST_TEST_REQUIRE(home.code == 200, home.body);
    BOOST_TEST(home.body.find("Hello, <b>Ada Lovelace</b>! You signed in with Google.") !=
               std::string::npos);
    BOOST_TEST(!cookies.contains("user"));
    BOOST_TEST_REQUIRE(cookies.contains("session"));
    const auto id = cookies.at("session");
    BOOST_TEST(step("/").code == 200);  // the session is read back on the next request
    BOOST_TEST(cookies.at("session") == id);
    BOOST_TEST(browse("/logout").effective_url == get_url("/login"));
    BOOST_TEST(!cookies.contains("session"));
    BOOST_TEST(step("/").code == 302);
    cookies["session"] = id;  // the old id names nothing after the logout
    BOOST_TEST(step("/").code == 302);
}

BOOST_AUTO_TEST_CASE(signing_in_gives_a_session_id_that_was_not_the_one_before) {
    // A session made before the sign-in (a denied attempt stores nothing, so make one that
    // stores: sign in, then sign in again) is given a new id by each sign-in.
    browse(link(consent_page("github").body, "approve"));
    const auto first = cookies.at("session");
    browse(link(browse("/auth/github?next=%2F").body, "approve"));
    BOOST_TEST(cookies.at("session") != first);
    BOOST_TEST(step("/").code == 200);
}

BOOST_AUTO_TEST_CASE(an_unknown_sessions_url_is_refused) {
    BOOST_CHECK_THROW(auth_login::SessionBackend("ftp://nowhere"), typhoon::Error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()
