#ifndef TYPHOON_TESTING_COOKIE_JAR_HPP
#define TYPHOON_TESTING_COOKIE_JAR_HPP

#include <typhoon/http/client_request.hpp>
#include <typhoon/http/client_response.hpp>

#include <map>
#include <string>

namespace typhoon::testing {

/** One browser's cookies in a test that walks through several requests (a sign-in, a session):
    sent with each request, updated from each response's Set-Cookie. A cookie set to an empty
    value, as clear_cookie() sends it, is forgotten. Paths, domains and expiry dates are not
    looked at: a test talks to one server.

        testing::CookieJar browser;
        httpclient::HTTPRequest request{.url = get_url("/login"), .follow_redirects = false};
        browser.prepare(request);
        browser.take(fetch(request.url, std::move(request)));
        BOOST_TEST(browser.cookies.contains("user"));  */
struct CookieJar {
    /// By name; a test may set or erase entries, as a user would edit their browser's.
    std::map<std::string, std::string> cookies;

    /// Adds the Cookie header that carries every cookie (none when there are none).
    void prepare(httpclient::HTTPRequest& request) const;
    /// Keeps what the response's Set-Cookie headers set, and forgets what they clear.
    void take(const httpclient::HTTPResponse& response);
};

}  // namespace typhoon::testing

#endif
