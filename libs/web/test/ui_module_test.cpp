#include <typhoon/web/ui_module.hpp>

#include <typhoon/web.hpp>

#include <typhoon/core/log_capture.hpp>
#include <typhoon/template/loader.hpp>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace web_test;
namespace json = boost::json;

namespace {

class Entry final : public web::UIModule {
public:
    using UIModule::UIModule;
    std::string render(const json::array& args, const json::object& kwargs) override {
        const bool loud = kwargs.contains("loud") && kwargs.at("loud").as_bool();
        const std::string title(args.at(0).as_string());
        return "<article>" + (loud ? title + "!" : title) + "</article>";
    }
    std::string embedded_javascript() override { return "init();"; }
    std::vector<std::string> javascript_files() override { return {"entry.js", "/abs.js"}; }
    std::string embedded_css() override { return ".entry{}"; }
    std::vector<std::string> css_files() override { return {"https://cdn.example/e.css"}; }
    std::string html_head() override { return "<meta name=entry>"; }
    std::string html_body() override { return "<div id=tail></div>"; }
};

class PageHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        render(get_argument("page"),
               {{"titles", json::array{"one", "two"}}, {"text", "see http://x.org"}});
        co_return;
    }
};

struct ModuleFixture : testing::AsyncHTTPTestCase {
    web::Application get_app() override {
        auto loader = std::make_shared<templates::DictLoader>(templates::DictLoader::Sources{
            {"entries.html",
             "<html><head></head><body>{% for t in titles %}{% module Entry(t, loud=True) %}"
             "{% end %}</body></html>"},
            {"include.html",
             "{% module Template(\"part.html\", who=\"you\") %}|{{ shout(\"hi\") }}"},
            {"part.html", "part for {{ who }}"},
            {"link.html", "{% module linkify(text) %}"},
        });
        return web::Application(
            {web::url<PageHandler>("/")},
            {.template_loader = loader,
             .static_path = "/nonexistent",
             .ui_modules = {{"Entry", web::ui_module<Entry>()}},
             .ui_methods = {{"shout",
                             [](web::RequestHandler& handler, const json::array& args,
                                const json::object&) -> json::value {
                                 return json::string(std::string(args.at(0).as_string()) + "! " +
                                                     handler.request().path);
                             }}}});
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(ui_module_test, ModuleFixture)

// The order is Tornado's: CSS files, inline CSS, then html_head before </head>; script files,
// inline script, then html_body before </body>.
BOOST_AUTO_TEST_CASE(modules_render_and_place_their_resources_once) {
    log::LogCapture quiet{{.logger = &log::gen_log}};  // no static files: versions are left out
    const auto body = fetch("/?page=entries.html").body;
    BOOST_TEST(body ==
               "<html><head>"
               "<link href=\"https://cdn.example/e.css\" type=\"text/css\" rel=\"stylesheet\"/>\n"
               "<style type=\"text/css\">\n.entry{}\n</style>\n"
               "<meta name=entry>\n"
               "</head><body><article>one!</article><article>two!</article>"
               "<script src=\"/static/entry.js\" type=\"text/javascript\"></script>"
               "<script src=\"/abs.js\" type=\"text/javascript\"></script>\n"
               "<script type=\"text/javascript\">\n//<![CDATA[\ninit();\n//]]>\n</script>\n"
               "<div id=tail></div>\n</body></html>");
}

BOOST_AUTO_TEST_CASE(template_module_and_ui_methods) {
    BOOST_TEST(fetch("/?page=include.html").body == "part for you|hi! /");
}

BOOST_AUTO_TEST_CASE(linkify_module_is_built_in) {
    BOOST_TEST(fetch("/?page=link.html").body == "see <a href=\"http://x.org\">http://x.org</a>");
}

BOOST_AUTO_TEST_SUITE_END()
