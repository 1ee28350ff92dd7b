#include <typhoon/template/template.hpp>

#include <typhoon/core/json.hpp>
#include <typhoon/template/loader.hpp>

#include <boost/test/unit_test.hpp>

#include <thread>
#include <vector>

// Expected outputs and messages were produced by Debian's python3-tornado 6.2 on the same
// templates (tornado.template.Template(source, name="t.html").generate(**args)).
namespace json = boost::json;
using namespace typhoon::templates;

namespace {

/// The ParseError `source` raises, as Tornado's str(ParseError): "<message> at <file>:<line>".
std::string parse_error(const std::string& source) {
    try {
        Template t(source, {.name = "t.html"});
    } catch (const ParseError& e) {
        return e.what();
    }
    return "no error";
}

TemplateError render_error(const Template& t, const json::object& args = {},
                           const Namespace& names = {}) {
    try {
        t.generate(args, names);
    } catch (const TemplateError& e) {
        return e;
    }
    BOOST_FAIL("no TemplateError");
    throw;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(template_test)

BOOST_AUTO_TEST_CASE(generate_escapes_expressions_with_xhtml_escape_by_default) {
    Template t("<html>{{ myvalue }}</html>");
    BOOST_TEST(t.generate({{"myvalue", "<XXX>"}}) == "<html>&lt;XXX&gt;</html>");
    BOOST_TEST(t.name() == "<string>");
    BOOST_TEST(t.autoescape() == "xhtml_escape");
}

BOOST_AUTO_TEST_CASE(autoescape_option_names_the_function_or_turns_escaping_off) {
    BOOST_TEST(Template("{{ x }}", {.autoescape = ""}).generate({{"x", "<b>"}}) == "<b>");
    BOOST_TEST(Template("{{ x }}", {.autoescape = "url_escape"}).generate({{"x", "a b&"}}) ==
               "a+b%26");
    // {% autoescape %} governs the whole file, even expressions written before it (as in Tornado).
    Template t("{{ x }}{% autoescape None %}{{ x }}");
    BOOST_TEST(t.generate({{"x", "<b>"}}) == "<b><b>");
    BOOST_TEST(t.autoescape() == "");
}

BOOST_AUTO_TEST_CASE(whitespace_defaults_by_extension_and_can_be_set) {
    const std::string source = "a  \n\n  b";
    BOOST_TEST(Template(source, {.name = "x.html"}).generate() == "a\nb");
    BOOST_TEST(Template(source, {.name = "x.js"}).generate() == "a\nb");
    BOOST_TEST(Template(source, {.name = "x.txt"}).generate() == source);
    BOOST_TEST(Template(source, {.name = "x.txt", .whitespace = "oneline"}).generate() == "a b");
    BOOST_CHECK_THROW(Template(source, {.whitespace = "bogus"}), ParseError);
}

BOOST_AUTO_TEST_CASE(parse_errors_name_the_template_and_line_as_tornado_does) {
    BOOST_TEST(parse_error("{{ x") == "Missing end expression }} at t.html:1");
    BOOST_TEST(parse_error("a\n{% if x %}") == "Missing {% end %} block for if at t.html:2");
    BOOST_TEST(parse_error("{% end %}") == "Extra {% end %} block at t.html:1");
    BOOST_TEST(parse_error("{{ }}") == "Empty expression at t.html:1");
    BOOST_TEST(parse_error("{% %}") == "Empty block tag ({% %}) at t.html:1");
    BOOST_TEST(parse_error("{# x") == "Missing end comment #} at t.html:1");
    BOOST_TEST(parse_error("{% foo %}") == "unknown operator: 'foo' at t.html:1");
    BOOST_TEST(parse_error("{% for x in y %}{% elif %}{% end %}") ==
               "elif block cannot be attached to for block at t.html:1");
    BOOST_TEST(parse_error("{% break %}") == "break outside {'for', 'while'} block at t.html:1");
    BOOST_TEST(parse_error("{% extends %}") == "extends missing file path at t.html:1");
    BOOST_TEST(parse_error("{% set %}") == "set missing statement at t.html:1");
    BOOST_TEST(parse_error("{% block %}{% end %}") == "block missing name at t.html:1");
    BOOST_TEST(parse_error("{% apply %}{% end %}") == "apply missing method name at t.html:1");
    // apply bodies are nested functions, so a loop outside does not make break legal inside.
    BOOST_TEST(
        parse_error(
            "{% if x %}\n{% for y in z %}\n{% apply f %}{% break %}{% end %}{% end %}{% end %}") ==
        "break outside {'for', 'while'} block at t.html:3");
}

BOOST_AUTO_TEST_CASE(invalid_python_is_a_parse_error_at_its_line) {
    // Tornado reports these as a SyntaxError from compile(); Typhoon as a ParseError with the line.
    try {
        Template("line 1\n{{ 1 + }}", {.name = "t.html"});
        BOOST_FAIL("no error");
    } catch (const ParseError& e) {
        BOOST_TEST(e.filename() == "t.html");
        BOOST_TEST(e.lineno() == 2);
    }
    BOOST_CHECK_THROW(Template("{% if %}{% end %}"), ParseError);
    BOOST_CHECK_THROW(Template("{% if x %}{% else %}{% elif y %}{% end %}"), ParseError);
    BOOST_CHECK_THROW(Template("{% try %}x{% end %}"), ParseError);
    BOOST_CHECK_THROW(Template("{% import os %}"), ParseError);
    BOOST_CHECK_THROW(Template("{% extends 'base.html' %}"), ParseError);  // no loader
}

BOOST_AUTO_TEST_CASE(nesting_past_tornados_limits_is_a_parse_error_not_a_stack_overflow) {
    const auto repeat = [](std::string_view piece, int times) {
        std::string out;
        for (int i = 0; i < times; ++i)
            out += piece;
        return out;
    };
    // Python's own limits: 200 open brackets, about 100 nested blocks.
    BOOST_TEST(Template("{{ " + repeat("(", 150) + "1" + repeat(")", 150) + " }}").generate() ==
               "1");
    BOOST_TEST(parse_error("{{ " + repeat("(", 5000) + "1" + repeat(")", 5000) + " }}") ==
               "invalid syntax: too many nested parentheses at t.html:1");
    BOOST_TEST(Template(repeat("{% if 1 %}", 90) + "x" + repeat("{% end %}", 90)).generate() ==
               "x");
    BOOST_TEST(parse_error("\n" + repeat("{% if 1 %}", 5000) + "x" + repeat("{% end %}", 5000)) ==
               "too many levels of nested blocks (over 100, as in Tornado) at t.html:2");
    // A long chain of operators or calls is as deep a tree as nested brackets.
    std::string sum = "1";
    for (int i = 0; i < 300; ++i)
        sum += "+1";
    BOOST_TEST(Template("{{ " + sum + " }}").generate() == "301");
    for (const std::string& deep : {repeat("1+", 20000) + "1", repeat("not ", 20000) + "1",
                                    repeat("-", 20000) + "1", "f" + repeat("()", 20000)})
        BOOST_TEST(parse_error("{{ " + deep + " }}") ==
                   "invalid syntax: expression nested too deeply (over 400 levels) at t.html:1");
}

BOOST_AUTO_TEST_CASE(format_fields_past_what_python_holds_are_value_errors) {
    const auto message_of = [](const std::string& expression) {
        const TemplateError e = render_error(Template("{{ " + expression + " }}"));
        return e.type() + ": " + e.message();
    };
    BOOST_TEST(message_of("'{99999999999999999999999}'.format(1)") ==
               "ValueError: Too many decimal digits in format string");
    BOOST_TEST(message_of("'{0[99999999999999999999999]}'.format([1])") ==
               "ValueError: Too many decimal digits in format string");
    BOOST_TEST(message_of("'{9}'.format(1)") ==
               "IndexError: Replacement index 9 out of range for positional args tuple");
    // Python would pad to a gigabyte; a template is refused such a width.
    BOOST_TEST(message_of("'{:999999999}'.format(1)") == "ValueError: width too big (over 65536)");
    BOOST_TEST(message_of("'{:.999999999999999999999f}'.format(1.5)") ==
               "ValueError: precision too big (over 65536)");
    BOOST_TEST(Template("{{ '{:>6}'.format(1) }}").generate() == "     1");
    // The same bounds for %-formatting.
    BOOST_TEST(message_of("'%44444444444444444444444d' % 1") ==
               "ValueError: width too big (over 65536)");
    BOOST_TEST(message_of("'%.99999999999999999999f' % 1.5") ==
               "ValueError: precision too big (over 65536)");
    BOOST_TEST(Template("{{ '%5.1f' % 2.25 }}").generate() == "  2.2");
}

BOOST_AUTO_TEST_CASE(shifts_past_64_bits_are_zero_for_zero_and_an_overflow_otherwise) {
    BOOST_TEST(Template("{{ 0 << 72 }} {{ 0 << 1 << 9999 }} {{ 3 << 2 }} {{ 1 << 62 }} "
                        "{{ -1 << 63 }}")
                   .generate() == "0 0 12 4611686018427387904 -9223372036854775808");
    for (const char* source :
         {"{{ 1 << 72 }}", "{{ 1 << 63 }}", "{{ 3 << 62 }}", "{{ -9223372036854775807 - 1 << 1 }}"})
        BOOST_TEST(render_error(Template(source)).type() == "OverflowError", source);
}

BOOST_AUTO_TEST_CASE(runtime_errors_name_template_line_and_expression) {
    const TemplateError e =
        render_error(Template("a\n{{ d['k'] }}", {.name = "t.html"}), {{"d", json::object{}}});
    BOOST_TEST(e.type() == "KeyError");
    BOOST_TEST(e.message() == "'k'");
    BOOST_TEST(e.filename() == "t.html");
    BOOST_TEST(e.lineno() == 2);
    BOOST_TEST(e.expression() == "d['k']");
    BOOST_TEST(std::string(e.what()) == "t.html:2: KeyError: 'k' (in `d['k']`)");

    BOOST_TEST(render_error(Template("{{ nope }}")).type() == "NameError");
    BOOST_TEST(render_error(Template("{{ 1 + 'a' }}")).type() == "TypeError");
    BOOST_TEST(render_error(Template("{{ [1][3] }}")).type() == "IndexError");
    BOOST_TEST(render_error(Template("{{ 1 / 0 }}")).type() == "ZeroDivisionError");
    BOOST_TEST(render_error(Template("{% for x in 3 %}{% end %}")).type() == "TypeError");
}

BOOST_AUTO_TEST_CASE(names_set_later_in_the_template_are_locals_as_in_python) {
    // Python compiles the template into one function: a name assigned anywhere in it is local.
    const TemplateError e = render_error(Template("{{ x }}{% set x = 1 %}"), {{"x", 5}});
    BOOST_TEST(e.type() == "UnboundLocalError");
    BOOST_TEST(e.message() ==
               "cannot access local variable 'x' where it is not associated with a value");
}

BOOST_AUTO_TEST_CASE(apply_bodies_are_nested_functions) {
    Namespace names;
    names.add_function("f", [](const json::array& args, const json::object&) {
        return json::value(std::string(args.at(0).as_string()) + "!");
    });
    // Outer locals are visible inside; a set inside stays inside.
    BOOST_TEST(Template("{% set x = 1 %}{% apply f %}{{ x }}{% set y = 2 %}{% end %}{{ x }}")
                   .generate({}, names) == "1!1");
    BOOST_TEST(
        Template("{% apply f %}{% set x = 1 %}{% end %}{{ x }}").generate({{"x", 7}}, names) ==
        "!7");
}

BOOST_AUTO_TEST_CASE(registered_functions_receive_positional_and_keyword_arguments) {
    Namespace names;
    names.add_function("reverse_url", [](const json::array& args, const json::object& kwargs) {
        std::string url = "/" + std::string(args.at(0).as_string());
        for (std::size_t i = 1; i < args.size(); ++i)
            url += "/" + typhoon::escape::json_encode(args[i]);
        if (kwargs.contains("q")) url += "?q=" + std::string(kwargs.at("q").as_string());
        return json::value(url);
    });
    BOOST_TEST(Template("{{ reverse_url('post', 7, q='a&b') }}").generate({}, names) ==
               "/post/7?q=a&amp;b");
}

BOOST_AUTO_TEST_CASE(arguments_hide_namespace_names_which_hide_builtins) {
    Namespace names;
    names.add("len", "shadowed");
    names.add("site", "Typhoon");
    Template t("{{ site }} {{ len }}");
    BOOST_TEST(t.generate({}, names) == "Typhoon shadowed");
    BOOST_TEST(t.generate({{"site", "args"}}, names) == "args shadowed");
    BOOST_TEST(Template("{{ len('abc') }}").generate() == "3");
}

BOOST_AUTO_TEST_CASE(an_exception_from_a_function_becomes_a_template_error) {
    Namespace names;
    names.add_function("boom", [](const json::array&, const json::object&) -> json::value {
        throw typhoon::Error("kaboom");
    });
    const TemplateError e = render_error(Template("\n{{ boom() }}", {.name = "t.html"}), {}, names);
    BOOST_TEST(e.lineno() == 2);
    BOOST_TEST(e.message() == "boom(): kaboom");
    // ...and try/except catches it like any other exception.
    BOOST_TEST(Template("{% try %}{{ boom() }}{% except %}caught{% end %}").generate({}, names) ==
               "caught");
}

BOOST_AUTO_TEST_CASE(module_directive_calls_the_registered_hook_unescaped) {
    Namespace names;
    names.add_module("Template", [](const json::array& args, const json::object& kwargs) {
        return json::value("<div>" + std::string(args.at(0).as_string()) + ":" +
                           typhoon::escape::json_encode(kwargs.at("arg")) + "</div>");
    });
    BOOST_TEST(Template("{% module Template('foo.html', arg=42) %}").generate({}, names) ==
               "<div>foo.html:42</div>");
    BOOST_TEST(render_error(Template("{% module Missing() %}")).type() == "NameError");
    BOOST_CHECK_THROW(Template("{% module 42 %}"), ParseError);
}

BOOST_AUTO_TEST_CASE(a_template_renders_from_several_threads_at_once) {
    Template t("{% for i in range(n) %}{{ i }}{% end %}");
    std::vector<std::string> results(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] {
            for (int k = 0; k < 200; ++k)
                results[i] = t.generate({{"n", 10}});
        });
    for (auto& thread : threads)
        thread.join();
    for (const auto& r : results)
        BOOST_TEST(r == "0123456789");
}

BOOST_AUTO_TEST_SUITE_END()
