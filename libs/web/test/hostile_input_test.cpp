// What a client's input cannot make the framework do, through a real socket: HEAD answered by
// get() without a body, paths that decode to NUL/CR/LF refused before routing, reason phrases
// and cookie attributes that would split a response refused, redirect targets kept on the site.
#include <typhoon/web.hpp>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

using namespace typhoon;
using namespace web_test;

namespace {

class GetOnlyHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        set_header("X-From", "get");
        write("hello from get");  // 14 bytes
        co_return;
    }
};

class FlushingGetHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write("first piece;");
        co_await flush();
        write("second piece");
        co_await flush();
        finish("last piece");
        co_await flush();
    }
};

class OwnHeadHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        set_header("X-From", "get");
        write("from get");
        co_return;
    }
    awaitable<void> head() override {
        set_header("X-From", "head");
        set_header("Content-Length", 1234);
        co_return;
    }
};

class PostOnlyHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> post() override { co_return; }
};

/// ?r= is the reason; ?how=error raises it as an HTTPError, ?how=catch reports the refusal.
class ReasonHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        const auto reason = get_argument("r", {.strip = false});
        const auto how = get_argument("how", "status");
        if (how == "error") throw web::HTTPError(400, "", reason);
        if (how == "catch") {
            try {
                set_status(299, reason);
            } catch (const std::invalid_argument& e) {
                write(std::string("refused: ") + e.what());
            }
            co_return;
        }
        set_status(299, reason);
        co_return;
    }
};

/// Sets cookie `n` (default "c") to `v` with the attributes of the query.
class CookieHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        web::CookieOptions options;
        options.domain = get_argument("domain", "", {.strip = false});
        options.path = get_argument("path", "/", {.strip = false});
        options.samesite = get_argument("samesite", "", {.strip = false});
        set_cookie(get_argument("n", "c", {.strip = false}), get_argument("v", "1"), options);
        write("set");
        co_return;
    }
};

struct HostileFixture : testing::AsyncHTTPTestCase {
    web::Application get_app() override {
        return web::Application({
            web::url<GetOnlyHandler>("/get"),
            web::url<FlushingGetHandler>("/flushing"),
            web::url<OwnHeadHandler>("/own_head"),
            web::url<PostOnlyHandler>("/post_only"),
            web::url<ReasonHandler>("/reason"),
            web::url<CookieHandler>("/cookie"),
            web::url<GetOnlyHandler>("/any/(.*)"),
        });
    }

    std::string raw(const std::string& method, const std::string& target) {
        return web_test::exchange(
            *this, method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(hostile_input_test, HostileFixture)

// --- HEAD ----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(head_of_a_get_only_handler_is_get_without_the_body) {
    const auto get = fetch("/get");
    const auto head = fetch("/get", {.method = "HEAD"});
    BOOST_TEST(head.code == 200);
    BOOST_TEST(head.headers.get("X-From", "") == "get");
    BOOST_TEST(head.headers.get("Content-Length", "") == "14");
    BOOST_TEST(head.headers.get("Etag", "") == get.headers.get("Etag", ""));
    BOOST_TEST(head.headers.get("Content-Type", "") == get.headers.get("Content-Type", ""));
    // Only the wire shows that no body bytes follow the headers.
    const std::string wire = raw("HEAD", "/get");
    BOOST_TEST(wire.starts_with("HTTP/1.1 200 OK\r\n"));
    BOOST_TEST(wire.find("\r\nContent-Length: 14\r\n") != std::string::npos);
    BOOST_TEST(wire.ends_with("\r\n\r\n"));
    BOOST_TEST(wire.find("hello") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(head_through_a_get_that_flushes_sends_no_body_bytes) {
    const std::string wire = raw("HEAD", "/flushing");
    BOOST_TEST(wire.starts_with("HTTP/1.1 200 OK\r\n"));
    BOOST_TEST(wire.ends_with("\r\n\r\n"));
    BOOST_TEST(wire.find("piece") == std::string::npos);
    BOOST_TEST(wire.find("Transfer-Encoding") == std::string::npos);
    // The connection stays usable: a second request on it gets its own answer.
    const std::string two =
        web_test::exchange(*this,
                           "HEAD /flushing HTTP/1.1\r\nHost: x\r\n\r\n"
                           "GET /get HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(two.find("piece") == std::string::npos);
    BOOST_TEST(two.ends_with("hello from get"));
}

BOOST_AUTO_TEST_CASE(a_handler_with_its_own_head_uses_it) {
    const auto head = fetch("/own_head", {.method = "HEAD"});
    BOOST_TEST(head.code == 200);
    BOOST_TEST(head.headers.get("X-From", "") == "head");
    BOOST_TEST(head.headers.get("Content-Length", "") == "1234");
}

BOOST_AUTO_TEST_CASE(head_without_get_is_still_405_and_allow_names_head_beside_get) {
    BOOST_TEST(fetch("/post_only", {.method = "HEAD"}).code == 405);
    const auto response = fetch("/get", {.method = "POST", .body = ""});
    BOOST_TEST(response.code == 405);
    BOOST_TEST(response.headers.get("Allow", "") == "GET, HEAD");
}

// --- paths ---------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_path_decoding_to_nul_cr_or_lf_is_a_400_before_routing) {
    for (const std::string target :
         {"/any/a%00b", "/any/a%0d%0aX-Injected:%201", "/any/a%0A", "/any/%0D", "/get%00"}) {
        const std::string wire = raw("GET", target);
        BOOST_TEST(wire.starts_with("HTTP/1.1 400 Bad Request\r\n"), target);
        BOOST_TEST(wire.find("X-Injected") == std::string::npos, target);
    }
    BOOST_TEST(raw("GET", "/any/a%01b").starts_with("HTTP/1.1 200 OK\r\n"));  // not one of them
    BOOST_TEST(raw("GET", "/any/%300").starts_with("HTTP/1.1 200 OK\r\n"));   // "00", not NUL
}

// --- reason phrases ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_reason_with_a_line_break_is_refused_naming_the_character) {
    BOOST_TEST(fetch("/reason?how=catch&r=Fine%0d%0aSet-Cookie:%20owned=1").body ==
               "refused: Invalid reason phrase: control character 0x0D at position 4");
    BOOST_TEST(fetch("/reason?how=catch&r=a%0bb").body ==
               "refused: Invalid reason phrase: control character 0x0B at position 1");
    BOOST_TEST(fetch("/reason?how=catch&r=a%7Fb").body ==
               "refused: Invalid reason phrase: control character 0x7F at position 1");
    BOOST_TEST(fetch("/reason?how=catch&r=Tab%09and%20space").code == 299);
    {
        testing::ExpectLog expected{log::app_log, R"(^Uncaught exception GET /reason)"};
        const std::string wire = raw("GET", "/reason?r=Fine%0d%0aSet-Cookie:%20owned=1");
        BOOST_TEST(wire.starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
        BOOST_TEST(wire.find("owned") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(an_http_error_with_a_line_break_in_its_reason_is_a_500) {
    testing::ExpectLog expected{log::app_log, R"(^Uncaught exception GET /reason)"};
    const std::string wire = raw("GET", "/reason?how=error&r=Bad%0d%0aSet-Cookie:%20owned=1");
    BOOST_TEST(wire.starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
    BOOST_TEST(wire.find("owned") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_default_error_page_escapes_the_reason) {
    const auto response = fetch("/reason?how=error&r=%3Cscript%3Ealert(1)%3C/script%3E");
    BOOST_TEST(response.code == 400);
    BOOST_TEST(response.body.find("<script>") == std::string::npos);
    BOOST_TEST(response.body.find("400: &lt;script&gt;alert(1)&lt;/script&gt;") !=
               std::string::npos);
}

// --- cookies -------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(cookie_attributes_that_would_add_attributes_are_refused) {
    for (const std::string query :
         {"path=/;%20Domain=evil.example", "domain=example.com;%20SameSite=None",
          "samesite=Lax;%20Domain=evil.example", "path=/%0d%0aSet-Cookie:%20owned=1",
          "domain=a%0Ab", "samesite=Lax%0b", "path=/%7F"}) {
        testing::ExpectLog expected{log::app_log, R"(^Uncaught exception GET /cookie)"};
        const std::string wire = raw("GET", "/cookie?" + query);
        BOOST_TEST(wire.starts_with("HTTP/1.1 500 Internal Server Error\r\n"), query);
        BOOST_TEST(wire.find("Set-Cookie") == std::string::npos, query);
    }
    const auto fine = fetch("/cookie?domain=example.com&path=/a%20b&samesite=Lax");
    BOOST_TEST(fine.code == 200);
    BOOST_TEST(fine.headers.get("Set-Cookie", "") ==
               "c=1; Domain=example.com; Path=/a b; SameSite=Lax");
}

BOOST_AUTO_TEST_CASE(cookie_names_and_values_follow_tornados_rules) {
    for (const std::string query : {"n=a%20b", "n=a;b", "n=a=b", "n=Path", "v=a%20b", "v=a%0db"}) {
        testing::ExpectLog expected{log::app_log, R"(^Uncaught exception GET /cookie)"};
        const std::string wire = raw("GET", "/cookie?" + query);
        BOOST_TEST(wire.starts_with("HTTP/1.1 500 Internal Server Error\r\n"), query);
        BOOST_TEST(wire.find("Set-Cookie") == std::string::npos, query);
    }
    // A `;` in a value is quoted as Python's http.cookies quotes it, not an attribute.
    BOOST_TEST(fetch("/cookie?v=a;Domain=evil").headers.get("Set-Cookie", "") ==
               "c=\"a\\073Domain=evil\"; Path=/");
}

// --- redirect targets ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(only_paths_of_the_site_are_local_redirect_targets) {
    for (const std::string_view target : {"/", "/chat", "/a/b?next=//x#y", "/%2F%2Fhost"})
        BOOST_TEST(web::is_local_path(target), target);
    for (const std::string_view target :
         {"", "//evil.example", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
          "/\t/evil.example", "/\n/evil.example", "https://evil.example/", "http:evil.example",
          "javascript:alert(1)", "evil.example/x", "./x"})
        BOOST_TEST(!web::is_local_path(target), target);
    BOOST_TEST(web::local_redirect_target("//evil.example") == "/");
    BOOST_TEST(web::local_redirect_target("https://evil.example", "/home") == "/home");
    BOOST_TEST(web::local_redirect_target("/chat?x=1") == "/chat?x=1");
}

BOOST_AUTO_TEST_SUITE_END()
