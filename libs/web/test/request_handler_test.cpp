#include <typhoon/web/request_handler.hpp>

#include <typhoon/web.hpp>

#include <typhoon/core/log_capture.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/locale/translations.hpp>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>

using namespace typhoon;
using namespace web_test;
namespace json = boost::json;

namespace {

class ArgumentsHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write("name=" + get_argument("name") + ";");
        write("greeting=" + get_argument("greeting", "Hello") + ";");
        write("raw=[" + get_argument("raw", "", {.strip = false}) + "];");
        write("absent=" + std::string(get_argument("absent", std::nullopt) ? "yes" : "no") + ";");
        write("all=" + std::to_string(get_arguments("name").size()));
        co_return;
    }
    awaitable<void> post() override {
        write("query=" + get_query_argument("where", "-") + ";");
        write("body=" + get_body_argument("what", "-") + ";");
        write("either=" + get_argument("what"));
        co_return;
    }
};

class StatusHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void set_default_headers() override { set_header("X-Frame-Options", "DENY"); }
    awaitable<void> get() override {
        set_status(201);
        set_header("X-Count", 3);
        add_header("X-Multi", "a");
        add_header("X-Multi", "b");
        clear_header("X-Frame-Options");
        write("made");
        co_return;
    }
    awaitable<void> post() override {
        set_status(299, "Custom Reason");
        co_return;
    }
    awaitable<void> put() override {
        set_status(599);  // unknown code, no reason
        co_return;
    }
    awaitable<void> delete_() override {
        set_header("X-Evil", "a\r\nSet-Cookie: owned=1");
        co_return;
    }
};

class JsonHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(json::object{{"message", "</script>"}, {"n", 2}});
        co_return;
    }
};

class ErrorsHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        const auto what = path_args().at(0);
        if (what == "http") throw web::HTTPError(403, "not for you");
        if (what == "reason") throw web::HTTPError(418, "", "Short And Stout");
        if (what == "quiet") throw web::HTTPError(404);
        if (what == "bug") throw std::runtime_error("division by zero");
        if (what == "finish") {
            write("partial ");
            throw web::Finish("and done");
        }
        if (what == "twice") {
            finish("once");
            write("again");  // a programming error after the response is sealed
        }
        co_return;
    }
};

class CustomErrorPage final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override { throw web::HTTPError(410); }
    void write_error(int status_code, std::exception_ptr) override {
        write(json::object{{"error", status_code}, {"reason", get_reason()}});
    }
};

class LifeCycleHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(std::vector<std::string>& events) { events_ = &events; }
    awaitable<void> prepare() override {
        events_->push_back("prepare");
        if (get_argument("stop", "") == "1") finish("stopped in prepare");
        co_return;
    }
    awaitable<void> get() override {
        events_->push_back("get");
        write("got");
        co_return;
    }
    void on_finish() override { events_->push_back("on_finish " + std::to_string(get_status())); }

private:
    std::vector<std::string>* events_ = nullptr;
};

class StreamingHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        for (int i = 0; i < 3; ++i) {
            write("part" + std::to_string(i) + ";");
            co_await flush();  // waits until the socket took it
        }
    }
};

class RedirectingHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        const auto kind = get_argument("kind", "");
        if (kind == "permanent")
            redirect("/new", {.permanent = true});
        else if (kind == "303")
            redirect("/other", {.status = 303});
        else
            redirect("/elsewhere?x=1");
        co_return;
    }
};

class EtagHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write("cacheable body");
        co_return;
    }
    awaitable<void> head() override {
        write("cacheable body");
        co_return;
    }
};

// A body of `n` bytes (?n=), different at each length.
class SizedBodyHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        const auto n = std::stoul(get_argument("n"));
        std::string body;
        for (std::size_t i = 0; i < n; ++i)
            body += static_cast<char>('a' + (i * 7 + n) % 26);
        write(body);
        co_return;
    }
};

class PathArgsHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        std::string out;
        for (const auto& arg : path_args())
            out += "[" + arg + "]";
        for (const auto& [name, value] : path_kwargs())
            out += name + "=" + value + ";";
        write(out);
        co_return;
    }
};

class UserHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    json::value get_current_user() override {
        ++lookups;
        const auto user = request().headers.get("X-User");
        return user ? json::value(json::string(*user)) : json::value(nullptr);
    }
    awaitable<void> get() override {
        current_user();
        const auto& user = current_user();  // looked up once
        write(user.is_null() ? "anonymous" : std::string(user.as_string()));
        write(" lookups=" + std::to_string(lookups));
        co_return;
    }
    int lookups = 0;
};

class LocaleHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(locale().code() + " " + locale().translate("Sign out"));
        co_return;
    }
};

class TemplateHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        render("page.html", {{"items", json::array{"a<b", "c"}}});
        co_return;
    }
};

class ReverseHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(reverse_url("story", {"42"}));
        co_return;
    }
};

struct HandlerFixture : testing::AsyncHTTPTestCase {
    std::vector<std::string> events;
    std::filesystem::path templates = std::filesystem::temp_directory_path() /
                                      ("typhoon_web_templates_" + std::to_string(::getpid()));

    HandlerFixture() {
        std::filesystem::create_directories(templates);
        std::ofstream(templates / "base.html")
            << "<html><head><title>{% block title %}base{% end %}</title></head>"
               "<body>{% block body %}{% end %}</body></html>";
        std::ofstream(templates / "page.html")
            << "{% extends \"base.html\" %}{% block title %}page{% end %}{% block body %}"
               "{% for item in items %}<i>{{ item }}</i>{% end %} {{ request.path }}"
               "{% end %}";
    }
    web::Application get_app() override {
        return web::Application(
            {
                web::url<ArgumentsHandler>("/args"),
                web::url<StatusHandler>("/status"),
                web::url<JsonHandler>("/json"),
                web::url<ErrorsHandler>("/error/(.*)"),
                web::url<CustomErrorPage>("/custom_error"),
                web::url<LifeCycleHandler>("/life", {}, std::ref(events)),
                web::url<StreamingHandler>("/stream"),
                web::url<RedirectingHandler>("/redirect"),
                web::url<EtagHandler>("/etag"),
                web::url<SizedBodyHandler>("/sized"),
                web::url<PathArgsHandler>("/path/([^/]*)/([^/]*)"),
                web::url<PathArgsHandler>(R"(/named/(?P<first>[^/]*)/(?P<second>[^/]*))"),
                web::url<UserHandler>("/user"),
                web::url<LocaleHandler>("/locale"),
                web::url<TemplateHandler>("/template"),
                web::url<ReverseHandler>("/reverse"),
                web::url<PathArgsHandler>("/story/([0-9]+)", {.name = "story"}),
            },
            {.template_path = templates.string()});
    }
    ~HandlerFixture() override { std::filesystem::remove_all(templates); }
};

struct DebugFixture : testing::AsyncHTTPTestCase {
    web::Application get_app() override {
        return web::Application({web::url<ErrorsHandler>("/error/(.*)")}, {.debug = true});
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(request_handler_test, HandlerFixture)

BOOST_AUTO_TEST_CASE(arguments_come_from_query_with_defaults_and_stripping) {
    const auto response = fetch("/args?name=%20Ada%20&name=Grace&raw=%20x%20");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "name=Grace;greeting=Hello;raw=[ x ];absent=no;all=2");
}

BOOST_AUTO_TEST_CASE(missing_argument_is_a_400_logged_as_a_warning) {
    testing::ExpectLog expected{log::gen_log,
                                R"(^400 GET /args \(127\.0\.0\.1\): Missing argument name)"};
    const auto response = fetch("/args");
    BOOST_TEST(response.code == 400);
    BOOST_TEST(response.body ==
               "<html><title>400: Bad Request</title><body>400: Bad Request</body></html>");
}

BOOST_AUTO_TEST_CASE(argument_that_is_not_utf8_is_a_400) {
    testing::ExpectLog expected{log::gen_log, R"(Invalid unicode in name: b'\\xff')"};
    BOOST_TEST(fetch("/args?name=%FF").code == 400);
}

BOOST_AUTO_TEST_CASE(control_characters_in_arguments_become_spaces) {
    BOOST_TEST(fetch("/args?name=a%01b").body.starts_with("name=a b;"));
}

BOOST_AUTO_TEST_CASE(body_and_query_arguments_are_kept_apart) {
    const auto response =
        fetch("/args?where=query",
              {.method = "POST",
               .headers = headers({{"Content-Type", "application/x-www-form-urlencoded"}}),
               .body = "what=form+body"});
    BOOST_TEST(response.body == "query=query;body=form body;either=form body");
}

BOOST_AUTO_TEST_CASE(default_headers_are_tornados) {
    const auto response = fetch("/args?name=x");
    BOOST_TEST(response.headers.get("Content-Type", "") == "text/html; charset=UTF-8");
    BOOST_TEST(response.headers.get("Server", "").starts_with("TyphoonServer/"));
    BOOST_TEST(response.headers.get("Date", "").ends_with(" GMT"));
    BOOST_TEST(response.headers.get("Content-Length", "") == std::to_string(response.body.size()));
    BOOST_TEST(response.headers.get("Etag", "").size() == 42u);  // quoted SHA-1
}

std::string quoted_sha1_of(std::string_view body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    BOOST_REQUIRE(EVP_Digest(body.data(), body.size(), digest, &size, EVP_sha1(), nullptr) == 1);
    std::string expected = "\"";
    for (unsigned int i = 0; i < size; ++i) {
        static constexpr char digits[] = "0123456789abcdef";
        expected += digits[digest[i] >> 4];
        expected += digits[digest[i] & 15];
    }
    expected += '"';
    return expected;
}

BOOST_AUTO_TEST_CASE(etag_is_the_quoted_sha1_of_the_body_at_every_length) {
    // Short bodies are hashed as one block, longer ones through SHA1_Update: both sides of the
    // 55/56-byte boundary and several blocks.
    for (std::size_t n = 0; n <= 130; ++n) {
        const auto response = fetch("/sized?n=" + std::to_string(n));
        BOOST_REQUIRE(response.body.size() == n);
        BOOST_TEST(response.headers.get("Etag", "") == quoted_sha1_of(response.body),
                   "body of " << n << " bytes");
    }
}

BOOST_AUTO_TEST_CASE(etag_follows_the_body_when_bodies_of_one_length_alternate) {
    // The server remembers the last short body's tag: a different body of the same length, or the
    // first one again, must still get its own.
    for (const char* name : {"ab", "cd", "ab", "ab", "cd"}) {
        const auto response = fetch(std::string("/args?name=") + name);
        BOOST_REQUIRE(response.body.find(name) != std::string::npos);
        BOOST_TEST(response.headers.get("Etag", "") == quoted_sha1_of(response.body), name);
    }
}

BOOST_AUTO_TEST_CASE(status_and_headers_are_set_as_written) {
    const auto response = fetch("/status");
    BOOST_TEST(response.code == 201);
    BOOST_TEST(response.reason == "Created");
    BOOST_TEST(response.headers.get("X-Count", "") == "3");
    BOOST_TEST(response.headers.get_list("X-Multi").size() == 2u);
    BOOST_TEST(!response.headers.contains("X-Frame-Options"));
    BOOST_TEST(fetch("/args?name=x").code == 200);
}

BOOST_AUTO_TEST_CASE(set_default_headers_applies_to_every_response_of_the_handler) {
    const auto response = fetch("/status", {.method = "POST", .body = ""});
    BOOST_TEST(response.code == 299);
    BOOST_TEST(response.reason == "Custom Reason");
    BOOST_TEST(response.headers.get("X-Frame-Options", "") == "DENY");
    BOOST_TEST(fetch("/status", {.method = "PUT", .body = ""}).reason == "Unknown");
}

BOOST_AUTO_TEST_CASE(header_value_with_a_line_break_is_refused) {
    testing::ExpectLog expected{log::app_log,
                                R"(^Uncaught exception DELETE /status \(127\.0\.0\.1\))"};
    const auto response = fetch("/status", {.method = "DELETE"});
    BOOST_TEST(response.code == 500);
    BOOST_TEST(!response.headers.contains("Set-Cookie"));
}

BOOST_AUTO_TEST_CASE(json_object_sets_the_content_type_and_escapes_script_ends) {
    const auto response = fetch("/json");
    BOOST_TEST(response.headers.get("Content-Type", "") == "application/json; charset=UTF-8");
    BOOST_TEST(response.body == R"({"message": "<\/script>", "n": 2})");
}

BOOST_AUTO_TEST_CASE(method_not_overridden_is_405_with_allow) {
    const auto response = fetch("/args", {.method = "PATCH", .body = ""});
    BOOST_TEST(response.code == 405);
    BOOST_TEST(response.headers.get("Allow", "") == "GET, HEAD, POST");
    BOOST_TEST(response.body.find("405: Method Not Allowed") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_method_is_405) {
    BOOST_TEST(fetch("/args", {.method = "PROPFIND", .allow_nonstandard_methods = true}).code ==
               405);
}

BOOST_AUTO_TEST_CASE(http_error_sets_status_and_logs_its_message) {
    testing::ExpectLog expected{log::gen_log,
                                R"(^403 GET /error/http \(127\.0\.0\.1\): not for you)"};
    const auto response = fetch("/error/http");
    BOOST_TEST(response.code == 403);
    BOOST_TEST(response.body ==
               "<html><title>403: Forbidden</title><body>403: Forbidden</body></html>");
}

BOOST_AUTO_TEST_CASE(http_error_reason_replaces_the_standard_phrase) {
    const auto response = fetch("/error/reason");
    BOOST_TEST(response.code == 418);
    BOOST_TEST(response.reason == "Short And Stout");
    BOOST_TEST(response.body.find("418: Short And Stout") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(http_error_without_message_logs_nothing_on_gen_log) {
    log::LogCapture capture{{.logger = &log::gen_log}};
    BOOST_TEST(fetch("/error/quiet").code == 404);
    BOOST_TEST(capture.records().empty());
}

BOOST_AUTO_TEST_CASE(uncaught_exception_is_500_logged_with_the_request) {
    testing::ExpectLog expected{log::app_log,
                                R"(^Uncaught exception GET /error/bug \(127\.0\.0\.1\))"};
    const auto response = fetch("/error/bug");
    BOOST_TEST(response.code == 500);
    BOOST_TEST(response.body.find("division by zero") == std::string::npos);  // no traceback
}

BOOST_FIXTURE_TEST_CASE(serve_traceback_describes_the_exception, DebugFixture) {
    testing::ExpectLog expected{log::app_log, "^Uncaught exception GET /error/bug "};
    const auto response = fetch("/error/bug");
    BOOST_TEST(response.code == 500);
    BOOST_TEST(response.headers.get("Content-Type", "") == "text/plain");
    BOOST_TEST(response.body.find("std::runtime_error: division by zero") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(finish_exception_ends_the_request_without_an_error_page) {
    const auto response = fetch("/error/finish");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "partial and done");
}

BOOST_AUTO_TEST_CASE(write_after_finish_is_logged_and_the_sealed_response_stands) {
    testing::ExpectLog expected{log::app_log, "^Uncaught exception GET /error/twice "};
    const auto response = fetch("/error/twice");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "once");
}

BOOST_AUTO_TEST_CASE(write_error_override_makes_the_error_page) {
    const auto response = fetch("/custom_error");
    BOOST_TEST(response.code == 410);
    BOOST_TEST(response.body == R"({"error": 410, "reason": "Gone"})");
}

BOOST_AUTO_TEST_CASE(life_cycle_runs_in_tornados_order) {
    BOOST_TEST(fetch("/life").body == "got");
    BOOST_TEST(events == (std::vector<std::string>{"prepare", "get", "on_finish 200"}));
    events.clear();
    BOOST_TEST(fetch("/life?stop=1").body == "stopped in prepare");
    BOOST_TEST(events == (std::vector<std::string>{"prepare", "on_finish 200"}));
}

BOOST_AUTO_TEST_CASE(flush_streams_the_body_in_chunks) {
    const auto response = fetch("/stream");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.headers.get("Transfer-Encoding", "") == "chunked");
    BOOST_TEST(response.body == "part0;part1;part2;");
}

BOOST_AUTO_TEST_CASE(redirects_are_302_301_or_the_status_given) {
    const httpclient::HTTPRequest no_follow{.follow_redirects = false};
    auto response = fetch("/redirect", no_follow);
    BOOST_TEST(response.code == 302);
    BOOST_TEST(response.headers.get("Location", "") == "/elsewhere?x=1");
    BOOST_TEST(response.body.empty());
    BOOST_TEST(fetch("/redirect?kind=permanent", no_follow).code == 301);
    BOOST_TEST(fetch("/redirect?kind=303", no_follow).code == 303);
}

BOOST_AUTO_TEST_CASE(matching_if_none_match_gets_304_without_body) {
    const auto first = fetch("/etag");
    const auto etag = first.headers.get("Etag", "");
    BOOST_REQUIRE(!etag.empty());
    const auto if_none_match = [&](const std::string& value) {
        return fetch("/etag", {.headers = headers({{"If-None-Match", value}})});
    };
    auto again = if_none_match(etag);
    BOOST_TEST(again.code == 304);
    BOOST_TEST(again.body.empty());
    BOOST_TEST(!again.headers.contains("Content-Type"));
    BOOST_TEST(if_none_match("W/" + etag).code == 304);
    BOOST_TEST(if_none_match("*").code == 304);
    BOOST_TEST(if_none_match("\"other\"").code == 200);
}

BOOST_AUTO_TEST_CASE(head_sends_the_length_of_the_body_but_not_the_body) {
    const auto response = fetch("/etag", {.method = "HEAD"});
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.headers.get("Content-Length", "") == "14");
    BOOST_TEST(response.body.empty());
    // Raw bytes: a client reads no body after a HEAD whatever the server sends, so only the
    // wire shows that nothing follows the headers.
    const std::string raw =
        exchange(*this, "HEAD /etag HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(raw.starts_with("HTTP/1.1 200 OK\r\n"));
    BOOST_TEST(raw.find("\r\nContent-Length: 14\r\n") != std::string::npos);
    BOOST_TEST(raw.ends_with("\r\n\r\n"));
}

BOOST_AUTO_TEST_CASE(path_groups_are_decoded_into_path_args_and_kwargs) {
    BOOST_TEST(fetch("/path/a%20b/%C3%A9").body == "[a b][é]");
    BOOST_TEST(fetch("/named/x/y").body == "first=x;second=y;");
}

BOOST_AUTO_TEST_CASE(path_group_that_is_not_utf8_is_a_400) {
    BOOST_TEST(fetch("/path/%FF/x").code == 400);
}

BOOST_AUTO_TEST_CASE(current_user_is_looked_up_once) {
    BOOST_TEST(fetch("/user", {.headers = headers({{"X-User", "ada"}})}).body == "ada lookups=1");
    BOOST_TEST(fetch("/user").body == "anonymous lookups=1");
}

BOOST_AUTO_TEST_CASE(browser_locale_follows_accept_language_q_values) {
    const auto dir = templates / "translations";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "fr_FR.csv") << "\"Sign out\",\"Se déconnecter\"\n";
    std::ofstream(dir / "es_LA.csv") << "\"Sign out\",\"Salir\"\n";
    locale::load_translations(dir);
    const auto in_language = [&](std::string_view accept) {
        return fetch("/locale", {.headers = headers({{"Accept-Language", accept}})}).body;
    };
    BOOST_TEST(in_language("es;q=0.5, fr-FR") == "fr_FR Se déconnecter");
    BOOST_TEST(in_language("fr;q=0, es-LA;q=0.9") == "es_LA Salir");
    BOOST_TEST(fetch("/locale").body == "en_US Sign out");
}

BOOST_AUTO_TEST_CASE(render_uses_template_path_inheritance_and_autoescape) {
    const auto response = fetch("/template");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body ==
               "<html><head><title>page</title></head><body><i>a&lt;b</i><i>c</i> /template"
               "</body></html>");
}

BOOST_AUTO_TEST_CASE(reverse_url_builds_the_path_of_a_named_route) {
    BOOST_TEST(fetch("/reverse").body == "/story/42");
}

BOOST_AUTO_TEST_CASE(access_log_level_depends_on_status) {
    log::LogCapture quiet{
        {.min_level = log::Level::warning}};  // the 400 and 500 explain themselves
    log::LogCapture capture{{.logger = &log::access_log}};
    fetch("/args?name=x");
    fetch("/args");
    fetch("/error/bug");
    const auto records = capture.records();
    BOOST_REQUIRE(records.size() == 3u);
    BOOST_TEST(records[0].message.starts_with("200 GET /args?name=x (127.0.0.1) "));
    BOOST_TEST(records[0].message.ends_with("ms"));
    BOOST_TEST((records[0].level == log::Level::info));
    BOOST_TEST((records[1].level == log::Level::warning));
    BOOST_TEST((records[2].level == log::Level::error));
}

// Raw bytes: two requests written at once (pipelined), which the client never does.
BOOST_AUTO_TEST_CASE(keep_alive_serves_several_requests_on_one_connection) {
    const std::string raw = exchange(*this,
                                     "GET /args?name=a HTTP/1.1\r\nHost: x\r\n\r\n"
                                     "GET /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(raw.find("name=a;") != std::string::npos);
    BOOST_TEST(raw.find("</script>") == std::string::npos);
    BOOST_TEST(raw.find("<\\/script>") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
