#ifndef CHAT_TEST_CHAT_FIXTURE_HPP
#define CHAT_TEST_CHAT_FIXTURE_HPP

// The chat served on a free port, and what a browser's page does with it: fetch the XSRF
// cookie, post a message, ask for updates.

#include "chat_app.hpp"

#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace chat_test {
using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace httpclient = typhoon::httpclient;
namespace json = boost::json;

struct ChatFixture : typhoon::testing::AsyncHTTPTestCase {
    chat::Chat here;
    typhoon::web::Application get_app() override { return chat::make_app(CHAT_APP_ROOT, here); }
    void setup() {
        AsyncHTTPTestCase::setup();
        xsrf();  // here, because coroutine tests cannot fetch() synchronously
    }

    /// The `_xsrf` cookie a browser gets with the chat page, as its JavaScript sends it back.
    const std::string& xsrf() {
        if (xsrf_.empty()) {
            const auto page = fetch("/poll");
            for (auto cookie : page.headers.get_list("Set-Cookie"))
                if (cookie.starts_with("_xsrf="))
                    xsrf_ = std::string(cookie.substr(6, cookie.find(';') - 6));
            BOOST_REQUIRE(!xsrf_.empty());
        }
        return xsrf_;
    }

    /// A POST as the chat page sends it: the form fields, the token and the cookie.
    httpclient::HTTPRequest post(const std::string& path, std::string form, bool with_xsrf = true) {
        httpclient::HTTPRequest request{.url = get_url(path), .method = "POST"};
        if (with_xsrf) {
            form += (form.empty() ? "_xsrf=" : "&_xsrf=") + typhoon::escape::url_escape(xsrf());
            request.headers.add("Cookie", "_xsrf=" + xsrf());
        }
        request.body = std::move(form);
        request.follow_redirects = false;
        request.raise_error = false;
        return request;
    }

    json::object post_message(const std::string& body) {
        const auto response = fetch(
            "/a/message/new", post("/a/message/new", "body=" + typhoon::escape::url_escape(body)));
        BOOST_REQUIRE(response.code == 200);
        return typhoon::escape::json_decode(response.body).as_object();
    }

    std::vector<std::string> updates(const std::string& form) {
        const auto response = fetch("/a/message/updates", post("/a/message/updates", form));
        BOOST_REQUIRE(response.code == 200);
        const auto decoded = typhoon::escape::json_decode(response.body);
        std::vector<std::string> bodies;
        for (const auto& m : decoded.at("messages").as_array())
            bodies.emplace_back(m.at("body").as_string());
        return bodies;
    }

    /// Lets the loop run until the long-polling room has `n` waiters, or fails after 5 s.
    awaitable<void> until_waiters(std::size_t n) {
        for (int i = 0; here.messages.waiters() != n; ++i) {
            BOOST_REQUIRE_MESSAGE(
                i < 500, "the room has " << here.messages.waiters() << " waiters, not " << n);
            co_await typhoon::gen::sleep(10ms);
        }
    }

private:
    std::string xsrf_;
};

using Bodies = std::vector<std::string>;

}  // namespace chat_test

#endif
