#include "templates_app.hpp"

#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

namespace {
struct TemplatesFixture : typhoon::testing::AsyncHTTPTestCase {
    typhoon::web::Application get_app() override {
        return templates_example::make_app(TEMPLATES_EXAMPLE_ROOT);
    }
    std::string page(std::string language) {
        typhoon::httputil::HTTPHeaders headers;
        headers.add("Accept-Language", language);
        return fetch("/?name=Ada", {.headers = headers}).body;
    }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(templates_test, TemplatesFixture)

BOOST_AUTO_TEST_CASE(layout_blocks_and_loop_render_in_english) {
    const auto body = page("en-US");
    BOOST_TEST(body.find("<title>Bookshelf</title>") != std::string::npos);
    BOOST_TEST(body.find("<h1>Welcome, Ada!</h1>") != std::string::npos);
    BOOST_TEST(body.find("<p>3 books</p>") != std::string::npos);
    BOOST_TEST(body.find("<b>Fahrenheit 451</b>") != std::string::npos);
    BOOST_TEST(body.find("<footer>Served by Typhoon</footer>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(values_are_escaped) {
    BOOST_TEST(page("en").find("<b>&lt;Untitled &amp; unknown&gt;</b>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(module_css_is_added_to_the_head_once) {
    const auto body = page("en");
    const auto style = body.find(".book { margin: 1em 0; }");
    BOOST_TEST(style != std::string::npos);
    BOOST_TEST(style < body.find("</head>"));
    BOOST_TEST(body.find(".book { margin", style + 1) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(translations_follow_accept_language) {
    const auto french = page("fr-FR,fr;q=0.9,en;q=0.5");
    BOOST_TEST(french.find("<title>Bibliothèque</title>") != std::string::npos);
    BOOST_TEST(french.find("Bienvenue, Ada !") != std::string::npos);
    BOOST_TEST(french.find("<p>3 livres</p>") != std::string::npos);
    BOOST_TEST(page("es-ES").find("¡Bienvenido, Ada!") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
