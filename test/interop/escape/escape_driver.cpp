// Reads one JSON request per line ({"fn": ..., "args": [...], "options": {...}}) and answers each
// with one line: {"result": ...} or {"error": "..."}. escape_interop.py drives it.
#include <typhoon/core.hpp>

#include <boost/json.hpp>

#include <bit>
#include <cstdint>
#include <iostream>
#include <string>

namespace {

namespace bj = boost::json;
namespace escape = typhoon::escape;

/// Floats travel as {"$f": "<IEEE bits>"} so that no decimal parser sits between the two sides.
bj::value restore_floats(const bj::value& v) {
    if (v.is_object()) {
        const auto& o = v.get_object();
        if (o.size() == 1 && o.contains("$f"))
            return bj::value(
                std::bit_cast<double>(std::stoull(std::string(o.at("$f").get_string()))));
        bj::object out;
        for (const auto& member : o)
            out[member.key()] = restore_floats(member.value());
        return out;
    }
    if (v.is_array()) {
        bj::array out;
        for (const auto& element : v.get_array())
            out.push_back(restore_floats(element));
        return out;
    }
    return v;
}

bool flag(const bj::object& options, std::string_view name, bool fallback) {
    const auto* value = options.if_contains(name);
    return value ? value->as_bool() : fallback;
}

std::string text_arg(const bj::array& args) {
    return std::string(args.at(0).as_string());
}

bj::value call(const bj::object& request) {
    const std::string fn(request.at("fn").as_string());
    const bj::array& args = request.at("args").as_array();
    static const bj::object no_options;
    const bj::object& options =
        request.contains("options") ? request.at("options").as_object() : no_options;

    if (fn == "xhtml_escape") return bj::value(escape::xhtml_escape(text_arg(args)));
    if (fn == "xhtml_unescape") return bj::value(escape::xhtml_unescape(text_arg(args)));
    if (fn == "url_escape")
        return bj::value(escape::url_escape(text_arg(args), {.plus = flag(options, "plus", true)}));
    if (fn == "url_unescape")
        return bj::value(
            escape::url_unescape(text_arg(args), {.plus = flag(options, "plus", true)}));
    if (fn == "squeeze") return bj::value(escape::squeeze(text_arg(args)));
    if (fn == "json_encode") return bj::value(escape::json_encode(restore_floats(args.at(0))));
    if (fn == "json_decode")
        return bj::value(escape::json_encode(escape::json_decode(text_arg(args))));
    if (fn == "linkify") {
        escape::LinkifyOptions linkify_options{
            .shorten = flag(options, "shorten", false),
            .require_protocol = flag(options, "require_protocol", false),
        };
        if (const auto* extra = options.if_contains("extra_params"))
            linkify_options.extra_params = std::string(extra->as_string());
        if (const auto* protocols = options.if_contains("permitted_protocols")) {
            linkify_options.permitted_protocols.clear();
            for (const auto& p : protocols->as_array())
                linkify_options.permitted_protocols.emplace_back(p.as_string());
        }
        return bj::value(escape::linkify(text_arg(args), linkify_options));
    }
    throw std::invalid_argument("unknown function " + fn);
}

}  // namespace

int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        bj::object answer;
        try {
            answer["result"] = call(bj::parse(line).as_object());
        } catch (const std::exception& e) {
            answer["error"] = e.what();
        }
        std::cout << escape::json_encode(answer) << '\n';
    }
}
