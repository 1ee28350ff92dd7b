// Template sources through tornado.template's lexer, parser and compiler, and what compiles
// through generate(). The first byte picks the template's name (so its whitespace mode) and its
// autoescape; the rest is the source. A DictLoader holds a few fixed templates the source may
// extend or include, one of them broken. Compiling either succeeds or throws the ParseError that
// names a template and a line; rendering either succeeds or throws the TemplateError that names
// them, whatever the source does. The namespace is fixed: a few values, one function, one module,
// and a `range` capped so that nested loops stay inside the fuzzer's time limit.

#include "check.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/template/errors.hpp>
#include <typhoon/template/loader.hpp>
#include <typhoon/template/namespace.hpp>
#include <typhoon/template/template.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace json = boost::json;
using namespace typhoon::templates;

namespace {

using fuzz_support::check;

bool names_place(const std::string& what, const std::string& filename, int lineno) {
    return what.find(filename + ":" + std::to_string(lineno)) != std::string::npos;
}

// The templates every input may extend or include; the names are the fixed ones the seeds use.
DictLoader::Sources fixed_templates() {
    return {
        {"base.html",
         "<title>{% block title %}Default{% end %}</title>\n"
         "<body>{% block body %}{% end %}</body>\n"},
        {"partial.html", "<p>{{ name }} {{ len(items) }}</p>\n"},
        {"child.html", "{% extends \"base.html\" %}{% block title %}Child{% end %}"},
        {"broken.html", "line 1\n{% if %}\n"},
        {"failing.html", "{{ missing_name }}"},
    };
}

Namespace fixed_namespace() {
    Namespace names;
    names.add("site", "Typhoon");
    names.add_function("shout", [](const json::array& args, const json::object&) {
        std::string out;
        for (const json::value& arg : args)
            out += arg.is_string() ? std::string(arg.as_string()) : json::serialize(arg);
        return json::value(out + "!");
    });
    // Hides the built-in range, which allows ten million items: two nested loops over that
    // would be a legitimate template the fuzzer's timeout reports as a hang.
    names.add_function("range", [](const json::array& args, const json::object&) {
        std::array<std::int64_t, 3> bounds{0, 0, 1};
        if (args.empty() || args.size() > 3) throw typhoon::Error("range() takes 1 to 3 arguments");
        for (const json::value& arg : args)
            if (!arg.is_int64()) throw typhoon::Error("range() needs integers");
        if (args.size() == 1)
            bounds[1] = args[0].as_int64();
        else
            for (std::size_t i = 0; i < args.size(); ++i)
                bounds[i] = args[i].as_int64();
        if (bounds[2] == 0) throw typhoon::Error("range() arg 3 must not be zero");
        json::array items;
        for (std::int64_t i = bounds[0]; bounds[2] > 0 ? i < bounds[1] : i > bounds[1];
             i += bounds[2]) {
            if (items.size() == 100) throw typhoon::Error("range too large for the fuzzer");
            items.push_back(i);
        }
        return json::value(std::move(items));
    });
    names.add_module("Entry", [](const json::array& args, const json::object&) {
        return json::value("<div>" + std::to_string(args.size()) + "</div>");
    });
    return names;
}

const json::object& arguments() {
    static const json::object args{
        {"name", "<world & \"friends\">"},
        {"items", json::array{1, 2.5, "three", nullptr, true}},
        {"user", json::object{{"name", "ana"}, {"admin", true}, {"tags", json::array{"a", "b"}}}},
        {"count", 3},
        {"empty", json::array{}},
    };
    return args;
}

// Loops whose bounds do not come from range() (a string repeated a million times, `while True`)
// are legitimate templates that run for as long as they say; they are compiled, not rendered.
bool may_run_long(std::string_view source) {
    return source.find("while") != std::string_view::npos ||
           (source.find("for") != std::string_view::npos &&
            source.find('*') != std::string_view::npos);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    typhoon::log::clear_handlers();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static DictLoader loader(fixed_templates(), {.names = fixed_namespace()});
    static const Namespace names = fixed_namespace();

    const std::uint8_t mode = data[0];
    const std::string_view source(reinterpret_cast<const char*>(data) + 1, size - 1);
    static constexpr std::array<const char*, 4> file_names{"fuzz.html", "fuzz.txt", "fuzz.js",
                                                           "<string>"};
    TemplateOptions options{.name = file_names[mode & 3], .loader = &loader};
    if (mode & 4) options.autoescape = "";
    if (mode & 8) options.whitespace = "oneline";

    std::unique_ptr<Template> compiled;
    try {
        compiled = std::make_unique<Template>(source, options);
    } catch (const ParseError& e) {
        check(!e.filename().empty(), "a ParseError names no template");
        check(e.lineno() >= 1, "a ParseError's line is not counted from 1");
        // what() is a C string: a NUL the message quotes from the source ends it there.
        std::string expected =
            e.message() + " at " + e.filename() + ":" + std::to_string(e.lineno());
        expected.resize(std::min(expected.size(), expected.find('\0')));
        check(e.what() == expected,
              "a ParseError's what() is not \"<message> at <filename>:<lineno>\"");
        return 0;
    }
    check(compiled->name() == options.name, "a compiled template lost its name");

    if (may_run_long(source)) return 0;
    for (int pass = 0; pass < 2; ++pass) {
        try {
            const std::string out =
                pass == 0 ? compiled->generate(arguments(), names) : compiled->generate({}, names);
            (void)out;
        } catch (const TemplateError& e) {
            const std::string what = e.what();
            check(!e.type().empty(), "a TemplateError names no Python exception");
            check(!e.filename().empty(), "a TemplateError names no template");
            check(e.lineno() >= 1, "a TemplateError's line is not counted from 1");
            check(names_place(what, e.filename(), e.lineno()),
                  "a TemplateError's what() does not name its template and line");
        }
    }
    return 0;
}
