// Expressions that rendering writes without building values (names, keys, choices, joins and
// "%.Nf" formats), checked against Tornado and against the general path's escaping and errors.
#include <typhoon/template/template.hpp>

#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

namespace {

namespace json = boost::json;
using namespace typhoon::templates;

struct Case {
    const char* source;
    const char* args;
    const char* expected;
};

// Each expected string is what Debian's python3-tornado 6.2 rendered for the same template and
// arguments (tornado.template.Template(source, name="t.html").generate(**args), the arguments
// decoded with object_hook=tornado.util.ObjectDict): printed by direct_output_cases.py.
const Case tornado_cases[] = {
    {"{{ \"%.2f\" % x }}|{{ \"<%.1f>\" % x }}|{{ \"%.0f\" % x }}|{{ \"%f\" % x }}|{{ \"%.3f\" % x "
     "}}",
     "{\"x\": 0.125}", "0.12|&lt;0.1&gt;|0|0.125000|0.125"},
    {"{{ \"%.2f\" % x }}|{{ \"<%.1f>\" % x }}|{{ \"%.0f\" % x }}|{{ \"%f\" % x }}|{{ \"%.3f\" % x "
     "}}",
     "{\"x\": -0.001}", "-0.00|&lt;-0.0&gt;|-0|-0.001000|-0.001"},
    {"{{ \"%.2f\" % x }}|{{ \"<%.1f>\" % x }}|{{ \"%.0f\" % x }}|{{ \"%f\" % x }}|{{ \"%.3f\" % x "
     "}}",
     "{\"x\": 2.5}", "2.50|&lt;2.5&gt;|2|2.500000|2.500"},
    {"{{ \"%.2f\" % x }}|{{ \"<%.1f>\" % x }}|{{ \"%.0f\" % x }}|{{ \"%f\" % x }}|{{ \"%.3f\" % x "
     "}}",
     "{\"x\": 7}", "7.00|&lt;7.0&gt;|7|7.000000|7.000"},
    {"{{ \"%.2f\" % x }}|{{ \"<%.1f>\" % x }}|{{ \"%.0f\" % x }}|{{ \"%f\" % x }}|{{ \"%.3f\" % x "
     "}}",
     "{\"x\": 1e+16}",
     "10000000000000000.00|&lt;10000000000000000.0&gt;|10000000000000000|10000000000000000.000000|"
     "10000000000000000.000"},
    {"{{ \"%.2f\" % x }}|{{ \"<%.1f>\" % x }}|{{ \"%.0f\" % x }}|{{ \"%f\" % x }}|{{ \"%.3f\" % x "
     "}}",
     "{\"x\": -3.14159}", "-3.14|&lt;-3.1&gt;|-3|-3.141590|-3.142"},
    {"{{ \"%.2f\" % x }}|{{ \"<%.1f>\" % x }}|{{ \"%.0f\" % x }}|{{ \"%f\" % x }}|{{ \"%.3f\" % x "
     "}}",
     "{\"x\": 0.5}", "0.50|&lt;0.5&gt;|0|0.500000|0.500"},
    {"{{ \"%.2f\" % x }}|{{ \"<%.1f>\" % x }}|{{ \"%.0f\" % x }}|{{ \"%f\" % x }}|{{ \"%.3f\" % x "
     "}}",
     "{\"x\": 1.005}", "1.00|&lt;1.0&gt;|1|1.005000|1.005"},
    {"{% raw \"a%.2fb\" % r.v %}|{{ \"%.2f%%\" % r.v }}|{{ \"%5.1f\" % r.v }}|{{ \"%.2f\" % "
     "r[\"v\"] }}",
     "{\"r\": {\"v\": 12.345}}", "a12.35b|12.35%| 12.3|12.35"},
    {"{% raw \"a%.2fb\" % r.v %}|{{ \"%.2f%%\" % r.v }}|{{ \"%5.1f\" % r.v }}|{{ \"%.2f\" % "
     "r[\"v\"] }}",
     "{\"r\": {\"v\": -2}}", "a-2.00b|-2.00%| -2.0|-2.00"},
    {"{{ \", \".join(r.tags) }}|{{ \"<&>\".join(tags) }}|{% raw \"-\".join(r[\"tags\"]) %}|{{ "
     "\"\".join(r.tags) }}",
     "{\"r\": {\"tags\": [\"a<b\", \"c'd\", \"e&f\"]}, \"tags\": [\"x\", \"y\"]}",
     "a&lt;b, c&#39;d, e&amp;f|x&lt;&amp;&gt;y|a<b-c'd-e&f|a&lt;bc&#39;de&amp;f"},
    {"{{ \", \".join(r.tags) }}|{{ \"<&>\".join(tags) }}|{% raw \"-\".join(r[\"tags\"]) %}|{{ "
     "\"\".join(r.tags) }}",
     "{\"r\": {\"tags\": []}, \"tags\": [\"only\"]}", "|only||"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": true, \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "yes|5|f|deep&amp;|True|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": false, \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "no|&lt;s&gt;|t|deep&amp;|False|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": 0, \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "no|&lt;s&gt;|t|deep&amp;|0|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": 1, \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "yes|5|f|deep&amp;|1|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": -7, \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "yes|5|f|deep&amp;|-7|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": 0.0, \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "no|&lt;s&gt;|t|deep&amp;|0.0|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": 2.5, \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "yes|5|f|deep&amp;|2.5|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": \"\", \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "no|&lt;s&gt;|t|deep&amp;||<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": \"x\", \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "yes|5|f|deep&amp;|x|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": [], \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "no|&lt;s&gt;|t|deep&amp;|[]|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": [0], \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "yes|5|f|deep&amp;|[0]|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": {}, \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "no|&lt;s&gt;|t|deep&amp;|{}|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": {\"k\": 1}, \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": "
     "\"deep&\"}}}}",
     "yes|5|f|deep&amp;|{&#39;k&#39;: 1}|<s>"},
    {"{{ \"yes\" if r.flag else \"no\" }}|{{ r.n if r.flag else r.s }}|{{ \"t\" if not r.flag else "
     "\"f\" }}|{{ r.a.b[\"c\"] }}|{{ r.flag }}|{% raw r.s %}",
     "{\"r\": {\"flag\": null, \"n\": 5, \"s\": \"<s>\", \"a\": {\"b\": {\"c\": \"deep&\"}}}}",
     "no|&lt;s&gt;|t|deep&amp;|None|<s>"},
    {"{% for row in rows %}{{ row.id }}:{{ row.name }}:{{ \"%.1f\" % row.score }}:{{ \"on\" if "
     "row.active else \"off\" }};{% end %}",
     "{\"rows\": [{\"id\": 1, \"name\": \"A&B\", \"score\": 1.25, \"active\": true}, {\"active\": "
     "false, \"score\": 3, \"name\": \"<c>\", \"id\": -20}, {\"name\": \"d\", \"id\": 3, "
     "\"extra\": 1, \"active\": 1, \"score\": 0.05}]}",
     "1:A&amp;B:1.2:on;-20:&lt;c&gt;:3.0:off;3:d:0.1:on;"},
};

json::object args_of(const char* text) {
    return typhoon::escape::json_decode(text).as_object();
}

TemplateError render_error(const std::string& source, const char* args) {
    try {
        Template(source, {.name = "t.html"}).generate(args_of(args));
    } catch (const TemplateError& e) {
        return e;
    }
    BOOST_FAIL("no TemplateError for " << source);
    throw;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(direct_output_test)

BOOST_AUTO_TEST_CASE(keys_choices_joins_and_fixed_formats_render_as_tornado_does) {
    for (const Case& c : tornado_cases) {
        BOOST_TEST_CONTEXT(c.source << " with " << c.args) {
            BOOST_TEST(Template(c.source, {.name = "t.html"}).generate(args_of(c.args)) ==
                       c.expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(escaping_matches_xhtml_escape_at_every_length_and_position) {
    // Strings of 0 to 47 bytes with each special character at each position (and none), plain
    // and through join, so that every block size of the escaping loop meets every position.
    const std::string specials = "&<>\"'";
    for (std::size_t length = 0; length < 48; ++length) {
        for (std::size_t position = 0; position <= length; ++position) {
            for (const char special : specials) {
                std::string text(length, 'a');
                for (std::size_t i = 0; i < length; ++i)
                    text[i] = static_cast<char>('a' + i % 26);
                if (position < length) text[position] = special;
                json::object args{{"s", text},
                                  {"d", json::object{{"k", text}}},
                                  {"l", json::array{text.c_str(), text.c_str()}}};
                const std::string escaped = typhoon::escape::xhtml_escape(text);
                BOOST_TEST_CONTEXT("text " << text) {
                    BOOST_TEST(Template("{{ s }}|{{ d.k }}").generate(args) ==
                               escaped + "|" + escaped);
                    BOOST_TEST(Template("{{ '&'.join(l) }}").generate(args) ==
                               escaped + "&amp;" + escaped);
                }
                if (position == length) break;
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(shapes_that_fail_raise_the_errors_tornado_raises) {
    // Types and messages from Debian's python3-tornado 6.2 on the same templates.
    TemplateError e = render_error("{{ r.missing }}", R"({"r": {"a": 1}})");
    BOOST_TEST(e.type() == "AttributeError");
    BOOST_TEST(e.message() == "missing");
    e = render_error("{{ \", \".join(r.nums) }}", R"({"r": {"nums": ["a", 2]}})");
    BOOST_TEST(e.type() == "TypeError");
    BOOST_TEST(e.message() == "sequence item 1: expected str instance, int found");
    e = render_error("{{ \"%.2f\" % r.s }}", R"({"r": {"s": "x"}})");
    BOOST_TEST(e.type() == "TypeError");
    BOOST_TEST(e.message() == "must be real number, not str");
    e = render_error("{{ \"yes\" if r.nope else \"no\" }}", R"({"r": {}})");
    BOOST_TEST(e.type() == "AttributeError");
    BOOST_TEST(e.message() == "nope");
    e = render_error("{{ r.a.b }}", R"({"r": {"a": 3}})");
    BOOST_TEST(e.type() == "AttributeError");
    BOOST_TEST(e.message() == "'int' object has no attribute 'b'");
}

BOOST_AUTO_TEST_CASE(a_name_that_hides_xhtml_escape_is_called_instead) {
    // The direct paths only apply to the built-in xhtml_escape; a template argument of that
    // name that is not a function fails as in Tornado ('str' object is not callable).
    const TemplateError e = render_error("{{ s }}", R"({"s": "x", "xhtml_escape": "no"})");
    BOOST_TEST(e.type() == "TypeError");
}

BOOST_AUTO_TEST_SUITE_END()
