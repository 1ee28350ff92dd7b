// Reads one JSON request per line and answers each with one line. A request defines options on a
// fresh OptionParser ({"defs": [{"name", "type", "multiple", "default", "help", "metavar",
// "group"}]}) and then parses {"argv": [...]}, or {"config": "<path>"}, or prints {"help": true}.
// The answer is {"ok": true, "values": {...}, "remaining": [...]}, {"ok": true, "help": "..."} or
// {"ok": false, "error": "..."}. options_interop.py feeds the same requests to Tornado.
#include <typhoon/options.hpp>

#include <typhoon/core/json.hpp>

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>

namespace {

namespace bj = boost::json;
namespace opt = typhoon::options;
using microseconds = std::chrono::microseconds;

bj::value encode(const std::string& s) {
    return bj::value(s);
}
bj::value encode(bool b) {
    return bj::value(b);
}
bj::value encode(std::int64_t n) {
    return bj::value(n);
}
bj::value encode(double d) {
    std::string repr = std::isnan(d)   ? "nan"
                       : std::isinf(d) ? (d > 0 ? "inf" : "-inf")
                                       : typhoon::escape::json_encode(bj::value(d));
    return bj::object{{"float", repr}};
}
bj::value encode(microseconds d) {
    return bj::object{{"us", d.count()}};
}
bj::value encode(opt::DateTime t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<microseconds> time{t - day};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02d:%02d:%02d", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(time.hours().count()),
                  int(time.minutes().count()), int(time.seconds().count()));
    return bj::object{{"dt", buffer}};
}

template <class T>
T decode(const bj::value& v);
template <>
std::string decode<std::string>(const bj::value& v) {
    return std::string(v.as_string());
}
template <>
std::int64_t decode<std::int64_t>(const bj::value& v) {
    return v.to_number<std::int64_t>();
}
template <>
double decode<double>(const bj::value& v) {
    return v.to_number<double>();
}
template <>
bool decode<bool>(const bj::value& v) {
    return v.as_bool();
}
template <>
microseconds decode<microseconds>(const bj::value& v) {
    return microseconds(v.to_number<std::int64_t>());
}
template <>
opt::DateTime decode<opt::DateTime>(const bj::value& v) {
    return opt::parse_datetime(v.as_string());
}

/// Defines one option of type T (or std::vector<T>) and returns how to read it back as JSON.
template <class T>
std::function<bj::value()> define(opt::OptionParser& parser, const bj::object& def) {
    const std::string name(def.at("name").as_string());
    auto text = [&](const char* key) {
        const auto* v = def.if_contains(key);
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    const bool multiple = def.contains("multiple") && def.at("multiple").as_bool();
    const bj::value* fallback = def.if_contains("default");
    const bool has_default = fallback && !fallback->is_null();
    if (multiple) {
        using list = std::vector<T>;
        opt::DefineOptions<list> options{
            .help = text("help"), .metavar = text("metavar"), .group = text("group")};
        if (has_default) {
            list values;
            for (const auto& item : fallback->as_array())
                values.push_back(decode<T>(item));
            parser.define<list>(name, values, std::move(options));
        } else {
            parser.define<list>(name, std::move(options));
        }
        return [&parser, name] {
            const auto value = parser.get<std::optional<list>>(name);
            if (!value) return bj::value(nullptr);
            bj::array out;
            for (const auto& item : *value)
                out.push_back(encode(item));
            return bj::value(out);
        };
    }
    opt::DefineOptions<T> options{
        .help = text("help"), .metavar = text("metavar"), .group = text("group")};
    if (has_default)
        parser.define<T>(name, decode<T>(*fallback), std::move(options));
    else
        parser.define<T>(name, std::move(options));
    return [&parser, name] {
        const auto value = parser.get<std::optional<T>>(name);
        return value ? encode(*value) : bj::value(nullptr);
    };
}

bj::object answer(const bj::object& request) {
    opt::OptionParser parser;
    std::vector<std::pair<std::string, std::function<bj::value()>>> readers;
    for (const auto& item : request.at("defs").as_array()) {
        const auto& def = item.as_object();
        const std::string type(def.at("type").as_string());
        std::function<bj::value()> reader;
        if (type == "str")
            reader = define<std::string>(parser, def);
        else if (type == "int")
            reader = define<std::int64_t>(parser, def);
        else if (type == "float")
            reader = define<double>(parser, def);
        else if (type == "bool")
            reader = define<bool>(parser, def);
        else if (type == "timedelta")
            reader = define<microseconds>(parser, def);
        else
            reader = define<opt::DateTime>(parser, def);
        readers.emplace_back(std::string(def.at("name").as_string()), std::move(reader));
    }
    if (request.contains("help")) {
        parser.set_program_name("prog");
        std::ostringstream out;
        parser.print_help(out);
        return {{"ok", true}, {"help", out.str()}};
    }
    try {
        bj::array remaining;
        if (const auto* argv = request.if_contains("argv")) {
            std::vector<std::string> args;
            for (const auto& a : argv->as_array())
                args.emplace_back(a.as_string());
            for (const auto& r : parser.parse_command_line(args))
                remaining.emplace_back(r);
        } else {
            parser.parse_config_file(std::string(request.at("config").as_string()));
        }
        bj::object values;
        for (const auto& [name, reader] : readers)
            values[name] = reader();
        return {{"ok", true}, {"values", values}, {"remaining", remaining}};
    } catch (const opt::Error& e) {
        return {{"ok", false}, {"error", e.what()}};
    }
}

}  // namespace

int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        bj::object reply;
        try {
            reply = answer(bj::parse(line).as_object());
        } catch (const std::exception& e) {
            reply = {{"ok", false}, {"error", std::string("driver: ") + e.what()}};
        }
        std::cout << bj::serialize(reply) << "\n";
    }
}
