#include <typhoon/template/loader.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

// Expected outputs were produced by Debian's python3-tornado 6.2 (tornado.template.Loader and
// DictLoader) on the same files.
namespace fs = std::filesystem;
using namespace typhoon::templates;

namespace {

struct TemporaryDirectory {
    fs::path path =
        fs::temp_directory_path() / ("typhoon_template_" + std::to_string(::getpid()) + "_" +
                                     std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    TemporaryDirectory() { fs::create_directories(path); }
    ~TemporaryDirectory() { fs::remove_all(path); }
    void write(const std::string& name, const std::string& text) const {
        fs::create_directories((path / name).parent_path());
        std::ofstream(path / name, std::ios::binary) << text;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(loader_test)

BOOST_AUTO_TEST_CASE(loader_reads_files_under_its_root_and_caches_them_until_reset) {
    TemporaryDirectory dir;
    dir.write("page.txt", "v1 {{ x }}");
    Loader loader(dir.path.string());
    BOOST_TEST(loader.load("page.txt").generate({{"x", 1}}) == "v1 1");
    dir.write("page.txt", "v2 {{ x }}");
    BOOST_TEST(loader.load("page.txt").generate({{"x", 1}}) == "v1 1");  // cached
    loader.reset();
    BOOST_TEST(loader.load("page.txt").generate({{"x", 1}}) == "v2 1");
}

BOOST_AUTO_TEST_CASE(a_name_with_a_nul_is_not_found_rather_than_read_up_to_the_nul) {
    TemporaryDirectory dir;
    dir.write("page.txt", "page");
    dir.write("outer.txt", std::string("{% include 'page.txt\0.bak' %}", 29));
    Loader loader(dir.path.string());
    BOOST_CHECK_THROW(loader.load(std::string("page.txt\0.bak", 12)), TemplateNotFound);
    BOOST_CHECK_THROW(loader.load("outer.txt"), ParseError);
    BOOST_TEST(loader.load("page.txt").generate() == "page");
}

BOOST_AUTO_TEST_CASE(include_and_extends_resolve_relative_to_the_including_template) {
    TemporaryDirectory dir;
    dir.write("base.html", "<t>{% block title %}base{% end %}</t>{% include 'footer.html' %}");
    dir.write("footer.html", "[footer]");
    dir.write("blog/footer.html", "[blog footer]");
    dir.write("blog/post.html",
              "{% extends '../base.html' %}{% block title %}{% include 'footer.html' %}{% end %}");
    Loader loader(dir.path.string());
    BOOST_TEST(loader.load("blog/post.html").generate() == "<t>[blog footer]</t>[footer]");
    BOOST_TEST(loader.resolve_path("footer.html", "blog/post.html") == "blog/footer.html");
    BOOST_TEST(loader.resolve_path("../base.html", "blog/post.html") == "base.html");
    BOOST_TEST(loader.resolve_path("x.html", "<string>") == "x.html");
}

BOOST_AUTO_TEST_CASE(blocks_override_through_several_levels) {
    DictLoader loader({
        {"base.html",
         "<title>{% block title %}Default{% end %}</title>{% block body %}body{% end %}"},
        {"middle.html",
         "{% extends 'base.html' %}{% block title %}Middle {% block sub %}sub{% end %}{% end %}"},
        {"leaf.html", "{% extends 'middle.html' %}{% block sub %}{{ s }}{% end %}"},
    });
    BOOST_TEST(loader.load("leaf.html").generate({{"s", "<leaf>"}}) ==
               "<title>Middle &lt;leaf&gt;</title>body");
    BOOST_TEST(loader.load("middle.html").generate() == "<title>Middle sub</title>body");
}

BOOST_AUTO_TEST_CASE(a_block_uses_the_autoescape_of_the_template_that_wrote_it) {
    DictLoader loader({
        {"base.html", "{% autoescape None %}{{ x }}|{% block b %}{% end %}"},
        {"child.html", "{% extends 'base.html' %}{% block b %}{{ x }}{% end %}"},
    });
    BOOST_TEST(loader.load("child.html").generate({{"x", "<>"}}) == "<>|&lt;&gt;");
}

BOOST_AUTO_TEST_CASE(included_templates_share_the_including_templates_locals) {
    DictLoader loader({{"a.html", "{% set v = 1 %}{% include 'b.html' %} {{ v }}"},
                       {"b.html", "{{ v }}{% set v = 2 %}"}});
    BOOST_TEST(loader.load("a.html").generate() == "1 2");
}

BOOST_AUTO_TEST_CASE(loader_options_apply_to_every_template) {
    LoaderOptions options;
    options.autoescape = "";
    options.whitespace = "all";
    options.names.add("site", "T");
    DictLoader loader(DictLoader::Sources{{"a.html", "{{ x }}  {{ site }}\n\n"}},
                      std::move(options));
    BOOST_TEST(loader.load("a.html").generate({{"x", "<b>"}}) == "<b>  T\n\n");
}

BOOST_AUTO_TEST_CASE(errors_name_the_file_where_they_are) {
    DictLoader loader({
        {"page.html", "{% extends 'base.html' %}"},
        {"base.html", "line 1\n{% include 'part.html' %}"},
        {"part.html", "\n\n{{ 1 // 0 }}"},
        {"broken.html", "{% extends 'bad.html' %}"},
        {"bad.html", "\n{% if x %}"},
        {"missing.html", "\n{% include 'nowhere.html' %}"},
    });
    try {
        loader.load("page.html").generate();
        BOOST_FAIL("no error");
    } catch (const TemplateError& e) {
        BOOST_TEST(e.filename() == "part.html");
        BOOST_TEST(e.lineno() == 3);
        BOOST_TEST(e.type() == "ZeroDivisionError");
    }
    try {
        loader.load("broken.html");
        BOOST_FAIL("no error");
    } catch (const ParseError& e) {
        BOOST_TEST(std::string(e.what()) == "Missing {% end %} block for if at bad.html:2");
    }
    try {
        loader.load("missing.html");
        BOOST_FAIL("no error");
    } catch (const ParseError& e) {
        BOOST_TEST(e.filename() == "missing.html");
        BOOST_TEST(e.lineno() == 2);
    }
    BOOST_CHECK_THROW(loader.load("absent.html"), TemplateNotFound);
}

BOOST_AUTO_TEST_CASE(a_template_that_includes_itself_is_an_error_not_a_crash) {
    DictLoader loader(DictLoader::Sources{{"loop.html", "{% include 'loop.html' %}"}});
    BOOST_CHECK_THROW(loader.load("loop.html"), typhoon::Error);
}

BOOST_AUTO_TEST_CASE(a_missing_template_is_named_as_python_quotes_it) {
    // Line breaks and control bytes in the name stay on the error's one line.
    DictLoader loader({{"page.html", "\n{% include \"a\nb\x01'.html\" %}"}});
    try {
        loader.load("page.html");
        BOOST_FAIL("no error");
    } catch (const ParseError& e) {
        BOOST_TEST(e.message() == "cannot load template \"a\\nb\\x01'.html\": not found");
        BOOST_TEST(e.lineno() == 2);
    }
}

BOOST_AUTO_TEST_CASE(a_cycle_of_extends_names_a_template_and_the_line_of_its_extends) {
    // Tornado overflows Python's stack (RecursionError); an editor needs a place to jump to.
    DictLoader loader({{"page.html", "<p>\n{% extends 'base.html' %}"},
                       {"base.html", "\n\n{% extends 'page.html' %}"}});
    try {
        loader.load("page.html");
        BOOST_FAIL("no error");
    } catch (const ParseError& e) {
        BOOST_TEST(e.message().find("too deeply (a cycle?)") != std::string::npos);
        const bool at_an_extends = (e.filename() == "page.html" && e.lineno() == 2) ||
                                   (e.filename() == "base.html" && e.lineno() == 3);
        BOOST_TEST(at_an_extends, e.filename() << ":" << e.lineno());
    }
}

BOOST_AUTO_TEST_SUITE_END()
