#include <typhoon/web/application.hpp>

#include <typhoon/web.hpp>

#include <typhoon/core/error.hpp>
#include <typhoon/core/log_capture.hpp>

#include <functional>
#include <string>
#include <vector>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace web_test;

namespace {

/// Answers with the label it was routed with, so a test sees which route won.
class Label final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(std::string label) { label_ = std::move(label); }
    awaitable<void> get() override {
        write(label_);
        co_return;
    }

private:
    std::string label_;
};

web::URLSpec labelled(std::string pattern, std::string label, std::string name = {}) {
    return web::url<Label>(std::move(pattern), {.name = std::move(name)}, std::move(label));
}

/// Serves the Application that `make` builds; each test says which.
struct AppTest : testing::AsyncHTTPTestCase {
    std::function<web::Application()> make = [] {
        return web::Application({labelled("/", "home")});
    };
    web::Application get_app() override { return make(); }
};

struct RouteOrderTest : AppTest {
    RouteOrderTest() {
        make = [] {
            return web::Application({
                labelled("/a/(.*)", "regex before"),
                labelled("/a/b", "literal after"),
                labelled("/c", "literal first"),
                labelled("/(c)", "regex after"),
            });
        };
    }
};

struct DefaultHandlerTest : AppTest {
    DefaultHandlerTest() {
        make = [] {
            return web::Application(
                {labelled("/", "home")},
                {.default_handler_class = web::handler<Label>("fallback page")});
        };
    }
};

struct HostRulesTest : AppTest {
    HostRulesTest() {
        make = [] {
            web::Application app(
                {labelled("/", "any host"), labelled("/only-wildcard", "wildcard")});
            app.add_handlers(R"(api\.example\.com)", {labelled("/", "api host")});
            app.add_handlers(R"(.*\.example\.com)", {labelled("/", "example subdomain")});
            return app;
        };
    }
};

struct LogFunctionTest : AppTest {
    std::vector<std::string> lines;
    LogFunctionTest() {
        make = [this] {
            return web::Application({labelled("/", "home")},
                                    {.log_function = [this](const web::RequestHandler& handler) {
                                        lines.push_back(std::to_string(handler.get_status()) + " " +
                                                        handler.request().path);
                                    }});
        };
    }
};

struct MovedApplicationTest : AppTest {
    MovedApplicationTest() {
        make = [] {
            web::Application first({labelled("/", "moved")});
            web::Application second = std::move(first);
            return second;
        };
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(application_test, AppTest)

BOOST_FIXTURE_TEST_CASE(first_matching_route_wins_literal_or_regex, RouteOrderTest) {
    BOOST_TEST(fetch("/a/b").body == "regex before");
    BOOST_TEST(fetch("/c").body == "literal first");
}

BOOST_AUTO_TEST_CASE(unmatched_path_is_tornados_404_page) {
    testing::ExpectLog expected{log::access_log, R"(^404 GET /nowhere \(127\.0\.0\.1\))"};
    const auto response = fetch("/nowhere");
    BOOST_TEST(response.code == 404);
    BOOST_TEST(response.body ==
               "<html><title>404: Not Found</title><body>404: Not Found</body></html>");
}

BOOST_FIXTURE_TEST_CASE(default_handler_class_takes_unmatched_paths, DefaultHandlerTest) {
    BOOST_TEST(fetch("/anything/else").body == "fallback page");
    BOOST_TEST(fetch("/").body == "home");
}

BOOST_FIXTURE_TEST_CASE(host_rules_come_before_the_wildcard_and_fall_through, HostRulesTest) {
    const auto for_host = [&](std::string host, std::string path) {
        return fetch(path, {.headers = headers({{"Host", host}})}).body;
    };
    BOOST_TEST(for_host("api.example.com:8080", "/") == "api host");
    BOOST_TEST(for_host("www.example.com", "/") == "example subdomain");
    BOOST_TEST(for_host("other.org", "/") == "any host");
    BOOST_TEST(for_host("api.example.com", "/only-wildcard") == "wildcard");
}

BOOST_AUTO_TEST_CASE(reverse_url_finds_named_routes_of_any_host_rule) {
    web::Application app({labelled("/story/([0-9]+)", "s", "story")});
    app.add_handlers("admin", {labelled("/admin/(\\w+)/edit", "a", "edit")});
    BOOST_TEST(app.reverse_url("story", {"7"}) == "/story/7");
    BOOST_TEST(app.reverse_url("edit", {"x y"}) == "/admin/x%20y/edit");
    BOOST_CHECK_THROW(app.reverse_url("nobody"), Error);
}

BOOST_AUTO_TEST_CASE(settings_derived_from_debug_follow_it_unless_set) {
    const web::Application development({}, {.debug = true});
    BOOST_TEST(!development.compiled_template_cache());
    BOOST_TEST(!development.static_hash_cache());
    BOOST_TEST(development.serve_traceback());
    const web::Application production({}, {.compiled_template_cache = false});
    BOOST_TEST(!production.compiled_template_cache());
    BOOST_TEST(production.static_hash_cache());
    BOOST_TEST(!production.serve_traceback());
}

BOOST_FIXTURE_TEST_CASE(log_function_replaces_the_access_log, LogFunctionTest) {
    log::LogCapture capture{{.logger = &log::access_log}};
    fetch("/");
    BOOST_TEST(lines == (std::vector<std::string>{"200 /"}));
    BOOST_TEST(capture.records().empty());
}

BOOST_AUTO_TEST_CASE(application_serves_an_http_server_made_by_hand) {
    web::Application app({labelled("/", "by hand")});
    httpserver::HTTPServer server(app);
    server.listen(0, "127.0.0.1");
    const auto url = "http://127.0.0.1:" + std::to_string(server.ports().at(0)) + "/";
    // Not kept alive: the connection ends with this test's server, not with the fixture's.
    BOOST_TEST(fetch(url, {.headers = headers({{"Connection", "close"}})}).body == "by hand");
    server.stop();
}

BOOST_FIXTURE_TEST_CASE(a_moved_application_keeps_serving, MovedApplicationTest) {
    BOOST_TEST(fetch("/").body == "moved");
}

BOOST_AUTO_TEST_CASE(malformed_form_body_is_400_and_the_server_goes_on) {
    log::LogCapture quiet;  // the refusal is logged
    const auto response =
        fetch("/", {.method = "POST",
                    .headers = headers({{"Content-Type", "multipart/form-data; boundary=x"}}),
                    .body = "garbage"});
    BOOST_TEST(response.code == 400);
    BOOST_TEST(fetch("/").body == "home");
}

BOOST_AUTO_TEST_CASE(invalid_route_pattern_fails_when_the_table_is_built) {
    BOOST_CHECK_THROW(web::Application({labelled("/(", "x")}), Error);
}

BOOST_AUTO_TEST_SUITE_END()
