#include "value.hpp"

#include "case_tables.hpp"
#include "format.hpp"
#include "python.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/detail/xhtml_escape.hpp>
#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/core/linkify.hpp>
#include <typhoon/core/utf8.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

// The built-in functions (len, range, escape...) and the str, dict and list methods templates call.
namespace typhoon::templates::detail {

namespace {

// ---- strings ----

bool is_space_at(std::string_view s, std::size_t pos, std::size_t& length) {
    return escape::is_unicode_space(decode_at(s, pos, length));
}

// Not core's strip_unicode(): str.strip, lstrip and rstrip take a side and a set of characters.
std::string_view strip(std::string_view s, bool left, bool right, const Value* chars) {
    auto strippable = [&](std::size_t pos, std::size_t& length) {
        const char32_t cp = decode_at(s, pos, length);
        if (!chars || chars->is(Value::Kind::none)) return escape::is_unicode_space(cp);
        return chars->as_string().find(s.substr(pos, length)) != std::string_view::npos;
    };
    std::size_t begin = 0, end = s.size();
    if (left) {
        std::size_t length = 1;
        while (begin < end && strippable(begin, length))
            begin += length;
    }
    if (right) {
        while (end > begin) {
            std::size_t start = end - 1;
            while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
                --start;
            std::size_t length = 1;
            if (!strippable(start, length)) break;
            end = start;
        }
    }
    return s.substr(begin, end - begin);
}

Value split(std::string_view s, const Value* sep, std::int64_t maxsplit) {
    List parts;
    if (!sep || sep->is(Value::Kind::none)) {
        std::size_t pos = 0;
        while (pos < s.size()) {
            std::size_t length = 1;
            while (pos < s.size() && is_space_at(s, pos, length))
                pos += length;
            if (pos >= s.size()) break;
            if (maxsplit >= 0 && static_cast<std::int64_t>(parts.size()) == maxsplit) {
                std::string_view rest = strip(s.substr(pos), false, true, nullptr);
                parts.push_back(Value::string(std::string(rest)));
                break;
            }
            const std::size_t start = pos;
            while (pos < s.size() && !is_space_at(s, pos, length))
                pos += length;
            parts.push_back(Value::string(std::string(s.substr(start, pos - start))));
        }
        return Value::list(std::move(parts));
    }
    const std::string_view separator = expect_str(*sep, "split");
    if (separator.empty()) raise("ValueError", "empty separator");
    std::size_t start = 0;
    while (true) {
        const auto found = s.find(separator, start);
        if (found == std::string_view::npos ||
            (maxsplit >= 0 && static_cast<std::int64_t>(parts.size()) == maxsplit)) {
            parts.push_back(Value::string(std::string(s.substr(start))));
            break;
        }
        parts.push_back(Value::string(std::string(s.substr(start, found - start))));
        start = found + separator.size();
    }
    return Value::list(std::move(parts));
}

void append_mapped(std::string& out, char32_t cp, const CaseMapping* table, std::size_t size) {
    const auto* end = table + size;
    const auto* it = std::lower_bound(table, end, cp,
                                      [](const CaseMapping& m, char32_t c) { return m.from < c; });
    if (it == end || it->from != cp) {
        escape::append_utf8(out, cp);
        return;
    }
    for (char32_t c : it->to)
        if (c) escape::append_utf8(out, c);
}

bool has_case_mapping(char32_t cp) {
    auto in = [cp](const CaseMapping* table, std::size_t size) {
        const auto* end = table + size;
        const auto* it = std::lower_bound(
            table, end, cp, [](const CaseMapping& m, char32_t c) { return m.from < c; });
        return it != end && it->from == cp;
    };
    return in(upper_mappings, upper_mappings_size) || in(lower_mappings, lower_mappings_size);
}

/// str.lower(), upper(), title() (mode 2) and capitalize() (mode 3) with Python's Unicode tables
/// (title case approximated by upper case, and "cased" by having a case mapping).
std::string ascii_case(std::string_view s, int mode) {
    std::string out;
    out.reserve(s.size());
    bool previous_cased = false;
    bool first = true;
    for (std::size_t pos = 0; pos < s.size();) {
        std::size_t length = 1;
        const char32_t cp = decode_at(s, pos, length);
        pos += length;
        const bool make_upper = mode == 1 || (mode == 2 && !previous_cased) || (mode == 3 && first);
        if (make_upper)
            append_mapped(out, cp, upper_mappings, upper_mappings_size);
        else
            append_mapped(out, cp, lower_mappings, lower_mappings_size);
        previous_cased = has_case_mapping(cp);
        first = false;
    }
    return out;
}

Value make_int_from_string(std::string_view text, int base) {
    std::string_view s = strip(text, true, true, nullptr);
    std::string digits;
    bool negative = false;
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (base == 16 && i + 1 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
        i += 2;
    bool ok = i < s.size();
    bool previous_digit = false;
    for (; i < s.size() && ok; ++i) {
        if (s[i] == '_' && previous_digit) {
            previous_digit = false;
            continue;
        }
        const char c = s[i];
        const int d = (c >= '0' && c <= '9')   ? c - '0'
                      : (c >= 'a' && c <= 'z') ? c - 'a' + 10
                      : (c >= 'A' && c <= 'Z') ? c - 'A' + 10
                                               : 99;
        if (d >= base) ok = false;
        digits.push_back(c);
        previous_digit = true;
    }
    if (!previous_digit) ok = false;
    std::uint64_t magnitude = 0;
    if (ok) {
        auto r = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
        if (r.ec != std::errc{})
            raise("OverflowError", "integer out of the 64-bit range Typhoon supports");
    }
    if (!ok) {
        std::string literal;
        escape::detail::append_python_repr(literal, text);
        raise("ValueError",
              "invalid literal for int() with base " + std::to_string(base) + ": " + literal);
    }
    if (magnitude >
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0))
        raise("OverflowError", "integer out of the 64-bit range Typhoon supports");
    return Value::integer(negative ? static_cast<std::int64_t>(0 - magnitude)
                                   : static_cast<std::int64_t>(magnitude));
}

Value make_float_from_string(std::string_view text) {
    std::string s(strip(text, true, true, nullptr));
    std::string lowered = ascii_case(s, 0);
    std::string body = lowered;
    bool negative = false;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
        negative = body[0] == '-';
        body.erase(0, 1);
    }
    if (body == "inf" || body == "infinity")
        return Value::floating(negative ? -HUGE_VAL : HUGE_VAL);
    if (body == "nan") return Value::floating(negative ? -NAN : NAN);
    std::string cleaned;
    bool ok = !s.empty();
    for (std::size_t i = 0; i < s.size() && ok; ++i) {
        if (s[i] == '_') {
            ok = i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                 std::isdigit(static_cast<unsigned char>(s[i + 1]));
            continue;
        }
        if (!std::strchr("0123456789+-.eE", s[i])) ok = false;
        cleaned.push_back(s[i]);
    }
    char* end = nullptr;
    const double d = ok ? std::strtod(cleaned.c_str(), &end) : 0;
    if (!ok || end != cleaned.c_str() + cleaned.size()) {
        std::string literal;
        escape::detail::append_python_repr(literal, text);
        raise("ValueError", "could not convert string to float: " + literal);
    }
    return Value::floating(d);
}

bool less(const Value& a, const Value& b) {
    return compare(CompareOp::lt, a, b);
}

const Value* keyword(Kwargs kwargs, std::string_view name) {
    for (const auto& k : kwargs)
        if (k.name == name) return &k.value;
    return nullptr;
}

void check_arity(std::string_view name, std::size_t given, std::size_t min, std::size_t max) {
    if (given < min || given > max) {
        type_error(std::string(name) + "() takes " +
                   (min == max ? std::to_string(min)
                               : "from " + std::to_string(min) + " to " + std::to_string(max)) +
                   " positional arguments but " + std::to_string(given) + " were given");
    }
}

void no_keywords(std::string_view name, Kwargs kwargs) {
    if (!kwargs.empty()) type_error(std::string(name) + "() takes no keyword arguments");
}

Value min_max(std::string_view name, Args args, Kwargs kwargs, bool is_max) {
    if (args.empty()) type_error(std::string(name) + " expected at least 1 argument, got 0");
    List items = args.size() == 1 ? iterate(args[0]) : List(args.begin(), args.end());
    if (items.empty()) {
        if (const Value* d = keyword(kwargs, "default")) return *d;
        raise("ValueError", std::string(name) + "() arg is an empty sequence");
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < items.size(); ++i)
        if (is_max ? less(items[best], items[i]) : less(items[i], items[best])) best = i;
    return items[best];
}

Value round_value(Args args) {
    const Value& x = args[0];
    if (!x.is_number())
        type_error(std::string("type ") + type_name(x) + " doesn't define __round__ method");
    const bool with_digits = args.size() > 1 && !args[1].is(Value::Kind::none);
    if (x.is(Value::Kind::integer) || x.is(Value::Kind::boolean)) {
        if (!with_digits || args[1].as_int() >= 0) return Value::integer(x.as_int());
        std::int64_t scale = 1;
        for (std::int64_t i = 0; i < -args[1].as_int() && scale < 1000000000000000000; ++i)
            scale *= 10;
        const std::int64_t q = floor_div(x.as_int(), scale), r = x.as_int() - q * scale;
        std::int64_t rounded = q;
        if (2 * r > scale || (2 * r == scale && (q % 2 != 0))) ++rounded;
        return Value::integer(rounded * scale);
    }
    const double d = x.as_float();
    if (!with_digits) {
        if (!std::isfinite(d))
            raise(std::isnan(d) ? "ValueError" : "OverflowError",
                  "cannot convert float to integer");
        return Value::integer(static_cast<std::int64_t>(std::nearbyint(d)));
    }
    const std::int64_t digits = args[1].as_int();
    if (!std::isfinite(d) || digits > 300) return Value::floating(d);
    if (digits < -308) return Value::floating(std::copysign(0.0, d));
    if (digits >= 0) {
        std::array<char, 512> buffer{};
        std::snprintf(buffer.data(), buffer.size(), "%.*f", static_cast<int>(digits), d);
        return Value::floating(std::strtod(buffer.data(), nullptr));
    }
    const double scale = std::pow(10.0, static_cast<double>(-digits));
    return Value::floating(std::nearbyint(d / scale) * scale);
}

const std::array<Callable, static_cast<std::size_t>(Builtin::user)> builtins = {{
    {Builtin::xhtml_escape, "xhtml_escape"},
    {Builtin::url_escape, "url_escape"},
    {Builtin::json_encode, "json_encode"},
    {Builtin::squeeze, "squeeze"},
    {Builtin::linkify, "linkify"},
    {Builtin::len, "len"},
    {Builtin::str, "str"},
    {Builtin::int_, "int"},
    {Builtin::float_, "float"},
    {Builtin::bool_, "bool"},
    {Builtin::range, "range"},
    {Builtin::sorted, "sorted"},
    {Builtin::enumerate, "enumerate"},
    {Builtin::min, "min"},
    {Builtin::max, "max"},
    {Builtin::abs, "abs"},
    {Builtin::round, "round"},
    {Builtin::list, "list"},
    {Builtin::dict, "dict"},
    {Builtin::tuple, "tuple"},
    {Builtin::zip, "zip"},
    {Builtin::reversed, "reversed"},
    {Builtin::sum, "sum"},
    {Builtin::any, "any"},
    {Builtin::all, "all"},
    {Builtin::repr, "repr"},
    {Builtin::isinstance_unused, "\x01"},
}};
const Callable escape_alias{Builtin::xhtml_escape, "xhtml_escape"};

Value call_builtin(const Callable& f, Args args, Kwargs kwargs) {
    const std::string_view name = f.name;
    auto need = [&](std::size_t min, std::size_t max) { check_arity(name, args.size(), min, max); };
    switch (f.builtin) {
        case Builtin::xhtml_escape: {
            need(1, 1);
            no_keywords(name, kwargs);
            if (!args[0].is(Value::Kind::string))
                type_error(std::string("Expected bytes, unicode, or None; got <class '") +
                           type_name(args[0]) + "'>");
            return make_str(escape::xhtml_escape(args[0].as_string()));
        }
        case Builtin::url_escape: {
            need(1, 2);
            if (!args[0].is(Value::Kind::string))
                type_error(std::string("Expected bytes, unicode, or None; got <class '") +
                           type_name(args[0]) + "'>");
            bool plus = args.size() > 1 ? truthy(args[1]) : true;
            if (const Value* p = keyword(kwargs, "plus")) plus = truthy(*p);
            return make_str(escape::url_escape(args[0].as_string(), {.plus = plus}));
        }
        case Builtin::json_encode: {
            need(1, 1);
            no_keywords(name, kwargs);
            return make_str(escape::json_encode(to_json(args[0])));
        }
        case Builtin::squeeze: {
            need(1, 1);
            no_keywords(name, kwargs);
            return make_str(escape::squeeze(expect_str(args[0], "squeeze")));
        }
        case Builtin::linkify: {
            need(1, 5);
            if (!args[0].is(Value::Kind::string))
                type_error(std::string("Expected bytes, unicode, or None; got <class '") +
                           type_name(args[0]) + "'>");
            escape::LinkifyOptions options;
            auto option = [&](std::size_t position, std::string_view key) -> const Value* {
                if (args.size() > position) return &args[position];
                return keyword(kwargs, key);
            };
            if (const Value* v = option(1, "shorten")) options.shorten = truthy(*v);
            if (const Value* v = option(2, "extra_params"))
                options.extra_params = expect_str(*v, "linkify");
            if (const Value* v = option(3, "require_protocol"))
                options.require_protocol = truthy(*v);
            if (const Value* v = option(4, "permitted_protocols")) {
                options.permitted_protocols.clear();
                for (const Value& p : iterate(*v))
                    options.permitted_protocols.emplace_back(expect_str(p, "linkify"));
            }
            return make_str(escape::linkify(args[0].as_string(), options));
        }
        case Builtin::len: {
            need(1, 1);
            const Value& v = args[0];
            if (v.is(Value::Kind::string))
                return Value::integer(static_cast<std::int64_t>(code_point_count(v.as_string())));
            if (v.is_sequence()) return Value::integer(static_cast<std::int64_t>(v.size()));
            if (v.is(Value::Kind::dict))
                return Value::integer(static_cast<std::int64_t>(v.as_dict().size()));
            type_error(std::string("object of type '") + type_name(v) + "' has no len()");
        }
        case Builtin::str: {
            need(0, 1);
            if (args.empty()) return make_str({});
            if (args[0].is(Value::Kind::string)) return args[0];
            return make_str(to_str(args[0]));
        }
        case Builtin::repr: {
            need(1, 1);
            std::string out;
            append_repr(out, args[0]);
            return make_str(std::move(out));
        }
        case Builtin::int_: {
            need(0, 2);
            if (args.empty()) return Value::integer(0);
            const Value& v = args[0];
            if (args.size() == 2 || keyword(kwargs, "base")) {
                const Value& base = args.size() == 2 ? args[1] : *keyword(kwargs, "base");
                return make_int_from_string(expect_str(v, "int"), static_cast<int>(base.as_int()));
            }
            if (v.is(Value::Kind::integer) || v.is(Value::Kind::boolean))
                return Value::integer(v.as_int());
            if (v.is(Value::Kind::floating)) {
                const double d = v.as_float();
                if (std::isnan(d)) raise("ValueError", "cannot convert float NaN to integer");
                if (std::isinf(d))
                    raise("OverflowError", "cannot convert float infinity to integer");
                if (std::fabs(d) >= 9.2233720368547758e18)
                    raise("OverflowError", "integer out of the 64-bit range Typhoon supports");
                return Value::integer(static_cast<std::int64_t>(d));
            }
            if (v.is(Value::Kind::string)) return make_int_from_string(v.as_string(), 10);
            type_error(std::string("int() argument must be a string, a bytes-like object or a real "
                                   "number, not '") +
                       type_name(v) + "'");
        }
        case Builtin::float_: {
            need(0, 1);
            if (args.empty()) return Value::floating(0.0);
            const Value& v = args[0];
            if (v.is_number()) return Value::floating(v.as_float());
            if (v.is(Value::Kind::string)) return make_float_from_string(v.as_string());
            type_error(std::string("float() argument must be a string or a real number, not '") +
                       type_name(v) + "'");
        }
        case Builtin::bool_: {
            need(0, 1);
            return Value::boolean(!args.empty() && truthy(args[0]));
        }
        case Builtin::range: {
            need(1, 3);
            for (const Value& a : args)
                if (!a.is(Value::Kind::integer) && !a.is(Value::Kind::boolean))
                    type_error(std::string("'") + type_name(a) +
                               "' object cannot be interpreted as an integer");
            std::int64_t start = 0, stop = 0, step = 1;
            if (args.size() == 1)
                stop = args[0].as_int();
            else {
                start = args[0].as_int();
                stop = args[1].as_int();
                if (args.size() == 3) step = args[2].as_int();
            }
            if (step == 0) raise("ValueError", "range() arg 3 must not be zero");
            List items;
            for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
                items.push_back(Value::integer(i));
                if (items.size() > 10'000'000)
                    raise("MemoryError", "range too large for a template");
            }
            return Value::list(std::move(items));
        }
        case Builtin::sorted: {
            need(1, 1);
            List items = iterate(args[0]);
            const Value* reverse = keyword(kwargs, "reverse");
            if (keyword(kwargs, "key"))
                type_error("sorted() with key= is not supported in Typhoon templates");
            if (reverse && truthy(*reverse)) {
                std::reverse(items.begin(), items.end());
                std::stable_sort(items.begin(), items.end(),
                                 [](const Value& a, const Value& b) { return less(b, a); });
            } else {
                std::stable_sort(items.begin(), items.end(), less);
            }
            return Value::list(std::move(items));
        }
        case Builtin::reversed: {
            need(1, 1);
            List items = iterate(args[0]);
            std::reverse(items.begin(), items.end());
            return Value::list(std::move(items));
        }
        case Builtin::enumerate: {
            need(1, 2);
            std::int64_t start = args.size() > 1 ? args[1].as_int() : 0;
            if (const Value* s = keyword(kwargs, "start")) start = s->as_int();
            List items = iterate(args[0]);
            List pairs;
            pairs.reserve(items.size());
            for (auto& item : items)
                pairs.push_back(Value::list({Value::integer(start++), std::move(item)}, true));
            return Value::list(std::move(pairs));
        }
        case Builtin::zip: {
            std::vector<List> lists;
            std::size_t n = args.empty() ? 0 : std::numeric_limits<std::size_t>::max();
            for (const Value& a : args) {
                lists.push_back(iterate(a));
                n = std::min(n, lists.back().size());
            }
            List tuples;
            for (std::size_t i = 0; i < n; ++i) {
                List t;
                for (auto& l : lists)
                    t.push_back(l[i]);
                tuples.push_back(Value::list(std::move(t), true));
            }
            return Value::list(std::move(tuples));
        }
        case Builtin::min:
            return min_max(name, args, kwargs, false);
        case Builtin::max:
            return min_max(name, args, kwargs, true);
        case Builtin::abs: {
            need(1, 1);
            const Value& v = args[0];
            if (v.is(Value::Kind::floating)) return Value::floating(std::fabs(v.as_float()));
            if (v.is(Value::Kind::integer) || v.is(Value::Kind::boolean)) {
                if (v.as_int() == std::numeric_limits<std::int64_t>::min()) checked(true, 0);
                return Value::integer(v.as_int() < 0 ? -v.as_int() : v.as_int());
            }
            type_error(std::string("bad operand type for abs(): '") + type_name(v) + "'");
        }
        case Builtin::round: {
            need(1, 2);
            return round_value(args);
        }
        case Builtin::list:
        case Builtin::tuple: {
            need(0, 1);
            return Value::list(args.empty() ? List{} : iterate(args[0]),
                               f.builtin == Builtin::tuple);
        }
        case Builtin::dict: {
            need(0, 1);
            boost::json::object object;
            if (!args.empty()) {
                if (args[0].is(Value::Kind::dict))
                    object = args[0].as_dict();
                else
                    for (const Value& pair : iterate(args[0])) {
                        if (!pair.is_sequence() || pair.size() != 2)
                            raise("ValueError",
                                  "dictionary update sequence element has wrong length");
                        const Value key = pair.at(0);
                        if (!key.is(Value::Kind::string))
                            type_error("dict keys must be strings in Typhoon templates");
                        object[key.as_string()] = to_json(pair.at(1));
                    }
            }
            for (const auto& k : kwargs)
                object[k.name] = to_json(k.value);
            return Value::owned_json(std::move(object));
        }
        case Builtin::sum: {
            need(1, 2);
            Value total = args.size() > 1 ? args[1] : Value::integer(0);
            if (const Value* s = keyword(kwargs, "start")) total = *s;
            for (const Value& v : iterate(args[0]))
                total = binary(BinaryOp::add, total, v);
            return total;
        }
        case Builtin::any:
        case Builtin::all: {
            need(1, 1);
            const bool want = f.builtin == Builtin::any;
            for (const Value& v : iterate(args[0]))
                if (truthy(v) == want) return Value::boolean(want);
            return Value::boolean(!want);
        }
        case Builtin::isinstance_unused:
        case Builtin::user:
            break;
    }
    type_error("not callable");
}

}  // namespace

Value call(const Value& callee, Args args, Kwargs kwargs) {
    if (!callee.is(Value::Kind::function))
        type_error(std::string("'") + type_name(callee) + "' object is not callable");
    const Callable& f = *callee.as_function();
    if (f.builtin != Builtin::user) return call_builtin(f, args, kwargs);
    boost::json::array json_args;
    json_args.reserve(args.size());
    for (const Value& a : args)
        json_args.push_back(to_json(a));
    boost::json::object json_kwargs;
    for (const auto& k : kwargs)
        json_kwargs[k.name] = to_json(k.value);
    boost::json::value result;
    try {
        result = (*f.function)(json_args, json_kwargs);
    } catch (const Fault&) {
        throw;
    } catch (const std::exception& e) {
        raise("Exception", std::string(f.name) + "(): " + e.what());
    }
    return Value::owned_json(std::move(result));
}

Value call_method(const Value& self, std::string_view name, Args args, Kwargs kwargs) {
    auto need = [&](std::size_t min, std::size_t max) { check_arity(name, args.size(), min, max); };
    auto arg = [&](std::size_t i, std::string_view key) -> const Value* {
        if (i < args.size()) return &args[i];
        return keyword(kwargs, key);
    };
    if (self.is(Value::Kind::string)) {
        const std::string_view s = self.as_string();
        if (name == "upper" || name == "lower" || name == "title" || name == "capitalize") {
            need(0, 0);
            const int mode = name == "lower" ? 0 : name == "upper" ? 1 : name == "title" ? 2 : 3;
            return make_str(ascii_case(s, mode));
        }
        if (name == "strip" || name == "lstrip" || name == "rstrip") {
            need(0, 1);
            const Value* chars = arg(0, "chars");
            if (chars && !chars->is(Value::Kind::none))
                expect_str(*chars, name == "strip" ? "strip" : "lstrip");
            return make_str(std::string(strip(s, name != "rstrip", name != "lstrip", chars)));
        }
        if (name == "startswith" || name == "endswith") {
            need(1, 1);
            auto test = [&](const Value& affix) {
                const std::string_view x =
                    expect_str(affix, name == "startswith" ? "startswith" : "endswith");
                return name == "startswith"
                           ? s.substr(0, x.size()) == x
                           : s.size() >= x.size() && s.substr(s.size() - x.size()) == x;
            };
            if (args[0].is(Value::Kind::tuple)) {
                for (std::size_t i = 0; i < args[0].size(); ++i)
                    if (test(args[0].at(i))) return Value::boolean(true);
                return Value::boolean(false);
            }
            if (!args[0].is(Value::Kind::string))
                type_error(std::string(name) + " first arg must be str or a tuple of str, not " +
                           type_name(args[0]));
            return Value::boolean(test(args[0]));
        }
        if (name == "join") {
            need(1, 1);
            std::string out;
            auto add = [&](std::size_t i, const Value& item) {
                if (!item.is(Value::Kind::string))
                    type_error("sequence item " + std::to_string(i) + ": expected str instance, " +
                               type_name(item) + " found");
                if (i) out += s;
                out += item.as_string();
            };
            if (args[0].is_sequence()) {
                for (std::size_t i = 0; i < args[0].size(); ++i)
                    add(i, args[0].at(i));
            } else {
                const List items = iterate(args[0]);
                for (std::size_t i = 0; i < items.size(); ++i)
                    add(i, items[i]);
            }
            return make_str(std::move(out));
        }
        if (name == "replace") {
            need(2, 3);
            const std::string_view from = expect_str(args[0], "replace"),
                                   to = expect_str(args[1], "replace");
            std::int64_t count = args.size() > 2 ? args[2].as_int() : -1;
            std::string out;
            if (from.empty()) {
                // Python inserts `to` around every character.
                const auto offsets = code_point_offsets(s);
                for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
                    if (count != 0) {
                        out += to;
                        --count;
                    }
                    out += s.substr(offsets[i], offsets[i + 1] - offsets[i]);
                }
                if (count != 0) out += to;
                return make_str(std::move(out));
            }
            std::size_t pos = 0;
            while (count != 0) {
                const auto found = s.find(from, pos);
                if (found == std::string_view::npos) break;
                out += s.substr(pos, found - pos);
                out += to;
                pos = found + from.size();
                --count;
            }
            out += s.substr(pos);
            return make_str(std::move(out));
        }
        if (name == "split") {
            need(0, 2);
            const Value* sep = arg(0, "sep");
            const Value* maxsplit = arg(1, "maxsplit");
            return split(s, sep, maxsplit ? maxsplit->as_int() : -1);
        }
        if (name == "format") return make_str(str_format(s, args, kwargs));
        if (name == "count" || name == "find" || name == "index") {
            need(1, 1);
            const std::string_view x = expect_str(args[0], "count");
            if (name == "count") {
                if (x.empty())
                    return Value::integer(static_cast<std::int64_t>(code_point_count(s) + 1));
                std::int64_t n = 0;
                for (auto pos = s.find(x); pos != std::string_view::npos;
                     pos = s.find(x, pos + x.size()))
                    ++n;
                return Value::integer(n);
            }
            const auto pos = s.find(x);
            if (pos == std::string_view::npos) {
                if (name == "index") raise("ValueError", "substring not found");
                return Value::integer(-1);
            }
            return Value::integer(static_cast<std::int64_t>(code_point_count(s.substr(0, pos))));
        }
        if (name == "isdigit" || name == "isalpha" || name == "isspace" || name == "isalnum") {
            need(0, 0);
            if (s.empty()) return Value::boolean(false);
            for (std::size_t pos = 0; pos < s.size();) {
                std::size_t length = 1;
                const char32_t cp = decode_at(s, pos, length);
                pos += length;
                bool ok = false;
                if (name == "isspace")
                    ok = escape::is_unicode_space(cp);
                else if (cp < 0x80) {
                    const auto c = static_cast<unsigned char>(cp);
                    ok = name == "isdigit"   ? std::isdigit(c) != 0
                         : name == "isalpha" ? std::isalpha(c) != 0
                                             : std::isalnum(c) != 0;
                } else {
                    ok = name != "isdigit";  // approximation: non-ASCII letters count as letters
                }
                if (!ok) return Value::boolean(false);
            }
            return Value::boolean(true);
        }
    } else if (self.is(Value::Kind::dict)) {
        const auto& object = self.as_dict();
        if (name == "get") {
            need(1, 2);
            if (args[0].is(Value::Kind::string))
                if (const auto* found = object.if_contains(args[0].as_string()))
                    return Value::json(*found, self.keep());
            return args.size() > 1 ? args[1] : Value();
        }
        if (name == "keys") {
            need(0, 0);
            return Value::list(iterate(self));
        }
        if (name == "values" || name == "items") {
            need(0, 0);
            List items;
            items.reserve(object.size());
            for (const auto& member : object) {
                Value v = Value::json(member.value(), self.keep());
                if (name == "values")
                    items.push_back(std::move(v));
                else
                    items.push_back(
                        Value::list({Value::string_view(
                                         std::string_view(member.key().data(), member.key().size()),
                                         self.keep()),
                                     std::move(v)},
                                    true));
            }
            return Value::list(std::move(items));
        }
        // An ObjectDict attribute that holds something callable.
        return call(attribute(self, name), args, kwargs);
    } else if (self.is_sequence()) {
        if (name == "index" || name == "count") {
            need(1, 1);
            std::int64_t n = 0;
            for (std::size_t i = 0; i < self.size(); ++i) {
                if (equal(self.at(i), args[0])) {
                    if (name == "index") return Value::integer(static_cast<std::int64_t>(i));
                    ++n;
                }
            }
            if (name == "index")
                raise("ValueError",
                      std::string(type_name(self)) + ".index(x): x not in " + type_name(self));
            return Value::integer(n);
        }
    }
    raise("AttributeError", std::string("'") + type_name(self) + "' object has no attribute '" +
                                std::string(name) + "'");
}

const Callable* find_builtin(std::string_view name) noexcept {
    if (name == "escape") return &escape_alias;
    for (const auto& b : builtins)
        if (b.name == name) return &b;
    return nullptr;
}

void append_escaped(std::string& out, const Value& callee, std::string_view text) {
    if (is_xhtml_escape(callee)) {
        escape::detail::append_xhtml_escaped(out, text);
        return;
    }
    const Value argument = Value::string_view(text);
    Value result = call(callee, Args(&argument, 1), {});
    if (!result.is(Value::Kind::string) && !result.is(Value::Kind::none))
        type_error(std::string("Expected bytes, unicode, or None; got <class '") +
                   type_name(result) + "'>");
    if (result.is(Value::Kind::none))
        type_error("sequence item: expected a bytes-like object, NoneType found");
    out += result.as_string();
}

}  // namespace typhoon::templates::detail
