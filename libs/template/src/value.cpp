#include "value.hpp"

#include "expression.hpp"

#include "format.hpp"
#include "python.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/core/linkify.hpp>
#include <typhoon/core/utf8.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace typhoon::templates::detail {

void raise(std::string type, std::string message) {
    throw Fault{std::move(type), std::move(message)};
}

const boost::json::value* find_key(const boost::json::object& object,
                                   std::string_view key) noexcept {
    if (object.size() > 12) return object.if_contains(key);
    for (const auto& member : object) {
        const auto k = member.key();
        if (k.size() != key.size()) continue;
        std::size_t i = 0;
        while (i < key.size() && k[i] == key[i])
            ++i;
        if (i == key.size()) return &member.value();
    }
    return nullptr;
}

const boost::json::value* find_key_unhinted(const boost::json::object& object, std::string_view key,
                                            const KeyHint& hint) noexcept {
    const std::size_t n = object.size();
    const boost::json::key_value_pair* members = object.begin();
    const boost::json::key_value_pair* found = nullptr;
    if (n > 12) {
        const auto it = object.find(key);
        if (it != object.end()) found = &*it;
    } else {
        for (std::size_t i = 0; i < n; ++i)
            if (same_key(members[i].key(), key)) {
                found = &members[i];
                break;
            }
    }
    if (!found) return nullptr;
    hint.index.store(static_cast<std::uint32_t>(found - members), std::memory_order_relaxed);
    return &found->value();
}

Value string_index(std::string_view s, std::int64_t index) {
    if (is_ascii(s)) {
        const auto n = static_cast<std::int64_t>(s.size());
        if (index < 0) index += n;
        if (index < 0 || index >= n) raise("IndexError", "string index out of range");
        return Value::string(std::string(1, s[static_cast<std::size_t>(index)]));
    }
    const auto offsets = code_point_offsets(s);
    const auto n = static_cast<std::int64_t>(offsets.size() - 1);
    if (index < 0) index += n;
    if (index < 0 || index >= n) raise("IndexError", "string index out of range");
    const auto i = static_cast<std::size_t>(index);
    return Value::string(std::string(s.substr(offsets[i], offsets[i + 1] - offsets[i])));
}

std::int64_t to_index(const Value& v, const char* what) {
    if (v.is(Value::Kind::integer) || v.is(Value::Kind::boolean)) return v.as_int();
    type_error(std::string(what) + " indices must be integers or slices, not " + type_name(v));
}

// ---- Value ----

Value Value::string_view(std::string_view s, std::shared_ptr<const void> keep) noexcept {
    Value v;
    v.kind_ = Kind::string;
    v.s_ = s;
    v.keep_ = std::move(keep);
    return v;
}

Value Value::string(std::string s) {
    auto owned = std::make_shared<const std::string>(std::move(s));
    const std::string_view view(*owned);
    return string_view(view, std::move(owned));
}

Value Value::list(List items, bool tuple) {
    auto owned = std::make_shared<const List>(std::move(items));
    Value v;
    v.kind_ = tuple ? Kind::tuple : Kind::list;
    v.vl_ = owned.get();
    v.keep_ = std::move(owned);
    return v;
}

Value Value::json(const boost::json::value& j, const std::shared_ptr<const void>& keep) {
    Value v;
    switch (j.kind()) {
        case boost::json::kind::null:
            return v;
        case boost::json::kind::bool_:
            return boolean(j.get_bool());
        case boost::json::kind::int64:
            return integer(j.get_int64());
        case boost::json::kind::uint64:
            if (j.get_uint64() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                raise("OverflowError", "integer out of the 64-bit range Typhoon supports");
            return integer(static_cast<std::int64_t>(j.get_uint64()));
        case boost::json::kind::double_:
            return floating(j.get_double());
        case boost::json::kind::string: {
            const auto& s = j.get_string();
            return string_view(std::string_view(s.data(), s.size()), keep);
        }
        case boost::json::kind::array:
            v.kind_ = Kind::list;
            v.ja_ = &j.get_array();
            v.keep_ = keep;
            return v;
        case boost::json::kind::object:
            v.kind_ = Kind::dict;
            v.o_ = &j.get_object();
            v.keep_ = keep;
            return v;
    }
    return v;
}

Value Value::owned_json(boost::json::value j) {
    auto owned = std::make_shared<const boost::json::value>(std::move(j));
    return json(*owned, owned);
}

Value Value::at(std::size_t i) const {
    if (ja_) return json((*ja_)[i], keep_);
    return (*vl_)[i];
}

const char* type_name(const Value& v) noexcept {
    switch (v.kind()) {
        case Value::Kind::unbound:
        case Value::Kind::none:
            return "NoneType";
        case Value::Kind::boolean:
            return "bool";
        case Value::Kind::integer:
            return "int";
        case Value::Kind::floating:
            return "float";
        case Value::Kind::string:
            return "str";
        case Value::Kind::list:
            return "list";
        case Value::Kind::tuple:
            return "tuple";
        case Value::Kind::dict:
            return "dict";
        case Value::Kind::function:
            return "builtin_function_or_method";
    }
    return "object";
}

bool truthy(const Value& v) noexcept {
    switch (v.kind()) {
        case Value::Kind::unbound:
        case Value::Kind::none:
            return false;
        case Value::Kind::boolean:
        case Value::Kind::integer:
            return v.as_int() != 0;
        case Value::Kind::floating:
            return v.as_float() != 0.0;
        case Value::Kind::string:
            return !v.as_string().empty();
        case Value::Kind::list:
        case Value::Kind::tuple:
            return v.size() != 0;
        case Value::Kind::dict:
            return !v.as_dict().empty();
        case Value::Kind::function:
            return true;
    }
    return false;
}

void append_str(std::string& out, const Value& v) {
    switch (v.kind()) {
        case Value::Kind::string:
            out += v.as_string();
            return;
        case Value::Kind::integer: {
            std::array<char, 24> buffer{};
            auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v.as_int());
            out.append(buffer.data(), r.ptr);
            return;
        }
        case Value::Kind::unbound:
        case Value::Kind::none:
            out += "None";
            return;
        case Value::Kind::boolean:
            out += v.as_int() ? "True" : "False";
            return;
        case Value::Kind::floating:
            out += escape::detail::python_float_repr(v.as_float());
            return;
        default:
            append_repr(out, v);
            return;
    }
}

void append_repr(std::string& out, const Value& v) {
    switch (v.kind()) {
        case Value::Kind::string:
            escape::detail::append_python_repr(out, v.as_string());
            return;
        case Value::Kind::list:
        case Value::Kind::tuple: {
            const bool tuple = v.is(Value::Kind::tuple);
            out.push_back(tuple ? '(' : '[');
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (i) out += ", ";
                append_repr(out, v.at(i));
            }
            if (tuple && v.size() == 1) out.push_back(',');
            out.push_back(tuple ? ')' : ']');
            return;
        }
        case Value::Kind::dict: {
            out.push_back('{');
            bool first = true;
            for (const auto& member : v.as_dict()) {
                if (!first) out += ", ";
                first = false;
                escape::detail::append_python_repr(
                    out, std::string_view(member.key().data(), member.key().size()));
                out += ": ";
                append_repr(out, Value::json(member.value(), v.keep()));
            }
            out.push_back('}');
            return;
        }
        case Value::Kind::function:
            out += "<built-in function ";
            out += v.as_function()->name;
            out += ">";
            return;
        default:
            append_str(out, v);
            return;
    }
}

std::string to_str(const Value& v) {
    std::string out;
    append_str(out, v);
    return out;
}

boost::json::value to_json(const Value& v) {
    switch (v.kind()) {
        case Value::Kind::unbound:
        case Value::Kind::none:
            return nullptr;
        case Value::Kind::boolean:
            return v.as_int() != 0;
        case Value::Kind::integer:
            return v.as_int();
        case Value::Kind::floating:
            return v.as_float();
        case Value::Kind::string:
            return boost::json::string(v.as_string());
        case Value::Kind::list:
        case Value::Kind::tuple: {
            boost::json::array a;
            a.reserve(v.size());
            for (std::size_t i = 0; i < v.size(); ++i)
                a.push_back(to_json(v.at(i)));
            return a;
        }
        case Value::Kind::dict:
            return v.as_dict();
        case Value::Kind::function:
            break;
    }
    type_error("Object of type builtin_function_or_method is not JSON serializable");
}

bool equal(const Value& a, const Value& b) {
    if (a.is_number() && b.is_number()) {
        if (a.is(Value::Kind::floating) || b.is(Value::Kind::floating))
            return a.as_float() == b.as_float();
        return a.as_int() == b.as_int();
    }
    if (a.kind() != b.kind()) {
        const bool a_none = a.is(Value::Kind::none) || a.is(Value::Kind::unbound);
        const bool b_none = b.is(Value::Kind::none) || b.is(Value::Kind::unbound);
        return a_none && b_none;
    }
    switch (a.kind()) {
        case Value::Kind::string:
            return a.as_string() == b.as_string();
        case Value::Kind::list:
        case Value::Kind::tuple: {
            if (a.size() != b.size()) return false;
            for (std::size_t i = 0; i < a.size(); ++i)
                if (!equal(a.at(i), b.at(i))) return false;
            return true;
        }
        case Value::Kind::dict: {
            const auto& x = a.as_dict();
            const auto& y = b.as_dict();
            if (x.size() != y.size()) return false;
            for (const auto& member : x) {
                const auto* other = y.if_contains(member.key());
                if (!other || !equal(Value::json(member.value()), Value::json(*other)))
                    return false;
            }
            return true;
        }
        case Value::Kind::function:
            return a.as_function() == b.as_function();
        default:
            return true;
    }
}

namespace {

const char* op_symbol(CompareOp op) {
    switch (op) {
        case CompareOp::lt:
            return "<";
        case CompareOp::le:
            return "<=";
        case CompareOp::gt:
            return ">";
        case CompareOp::ge:
            return ">=";
        default:
            return "==";
    }
}

/// -1, 0, 1 for orderable pairs; throws TypeError for others.
int order(CompareOp op, const Value& a, const Value& b) {
    if (a.is_number() && b.is_number()) {
        if (a.is(Value::Kind::floating) || b.is(Value::Kind::floating)) {
            const double x = a.as_float(), y = b.as_float();
            if (std::isnan(x) || std::isnan(y)) return 2;  // unordered: every comparison is false
            return x < y ? -1 : x > y ? 1 : 0;
        }
        return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
    }
    if (a.is(Value::Kind::string) && b.is(Value::Kind::string)) {
        const int c = a.as_string().compare(b.as_string());
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    if (a.is_sequence() && a.kind() == b.kind()) {
        const std::size_t n = std::min(a.size(), b.size());
        for (std::size_t i = 0; i < n; ++i) {
            const Value x = a.at(i), y = b.at(i);
            if (!equal(x, y)) return order(op, x, y);
        }
        return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
    }
    type_error(std::string("'") + op_symbol(op) + "' not supported between instances of '" +
               type_name(a) + "' and '" + type_name(b) + "'");
}

bool contains(const Value& container, const Value& item) {
    switch (container.kind()) {
        case Value::Kind::string:
            if (!item.is(Value::Kind::string))
                type_error(std::string("'in <string>' requires string as left operand, not ") +
                           type_name(item));
            return container.as_string().find(item.as_string()) != std::string_view::npos;
        case Value::Kind::list:
        case Value::Kind::tuple:
            for (std::size_t i = 0; i < container.size(); ++i)
                if (equal(container.at(i), item)) return true;
            return false;
        case Value::Kind::dict:
            if (item.is_sequence() || item.is(Value::Kind::dict))
                type_error(std::string("unhashable type: '") + type_name(item) + "'");
            return item.is(Value::Kind::string) && container.as_dict().contains(item.as_string());
        default:
            type_error(std::string("argument of type '") + type_name(container) +
                       "' is not iterable");
    }
}

bool identical(const Value& a, const Value& b) {
    if (a.kind() != b.kind()) {
        const bool a_none = a.is(Value::Kind::none) || a.is(Value::Kind::unbound);
        const bool b_none = b.is(Value::Kind::none) || b.is(Value::Kind::unbound);
        return a_none && b_none;
    }
    switch (a.kind()) {
        case Value::Kind::string:
            return a.as_string().data() == b.as_string().data() &&
                   a.as_string().size() == b.as_string().size();
        case Value::Kind::list:
        case Value::Kind::tuple:
            return a.size() == b.size() && (a.size() == 0 || &a == &b || a.keep() == b.keep());
        case Value::Kind::dict:
            return &a.as_dict() == &b.as_dict();
        default:
            return equal(a, b);
    }
}

List repeat(const Value& seq, std::int64_t times) {
    List items;
    for (std::int64_t t = 0; t < times; ++t)
        for (std::size_t i = 0; i < seq.size(); ++i)
            items.push_back(seq.at(i));
    return items;
}

[[noreturn]] void unsupported(const char* symbol, const Value& a, const Value& b) {
    type_error(std::string("unsupported operand type(s) for ") + symbol + ": '" + type_name(a) +
               "' and '" + type_name(b) + "'");
}

const char* binary_symbol(BinaryOp op) {
    switch (op) {
        case BinaryOp::add:
            return "+";
        case BinaryOp::sub:
            return "-";
        case BinaryOp::mul:
            return "*";
        case BinaryOp::div:
            return "/";
        case BinaryOp::floordiv:
            return "//";
        case BinaryOp::mod:
            return "%";
        case BinaryOp::pow:
            return "** or pow()";
        case BinaryOp::bitand_:
            return "&";
        case BinaryOp::bitor_:
            return "|";
        case BinaryOp::bitxor:
            return "^";
        case BinaryOp::lshift:
            return "<<";
        case BinaryOp::rshift:
            return ">>";
    }
    return "?";
}

}  // namespace

bool compare(CompareOp op, const Value& a, const Value& b) {
    switch (op) {
        case CompareOp::eq:
            return equal(a, b);
        case CompareOp::ne:
            return !equal(a, b);
        case CompareOp::in:
            return contains(b, a);
        case CompareOp::not_in:
            return !contains(b, a);
        case CompareOp::is:
            return identical(a, b);
        case CompareOp::is_not:
            return !identical(a, b);
        default:
            break;
    }
    const int c = order(op, a, b);
    if (c == 2) return false;
    switch (op) {
        case CompareOp::lt:
            return c < 0;
        case CompareOp::le:
            return c <= 0;
        case CompareOp::gt:
            return c > 0;
        default:
            return c >= 0;
    }
}

Value binary(BinaryOp op, const Value& a, const Value& b) {
    const bool ints = (a.is(Value::Kind::integer) || a.is(Value::Kind::boolean)) &&
                      (b.is(Value::Kind::integer) || b.is(Value::Kind::boolean));
    const bool numbers = a.is_number() && b.is_number();
    switch (op) {
        case BinaryOp::add:
            if (ints) return Value::integer(checked_add(a.as_int(), b.as_int()));
            if (numbers) return Value::floating(a.as_float() + b.as_float());
            if (a.is(Value::Kind::string) && b.is(Value::Kind::string)) {
                std::string s;
                s.reserve(a.as_string().size() + b.as_string().size());
                s += a.as_string();
                s += b.as_string();
                return make_str(std::move(s));
            }
            if (a.is_sequence() && a.kind() == b.kind()) {
                List items;
                for (std::size_t i = 0; i < a.size(); ++i)
                    items.push_back(a.at(i));
                for (std::size_t i = 0; i < b.size(); ++i)
                    items.push_back(b.at(i));
                return sequence_result(a, std::move(items));
            }
            if (a.is(Value::Kind::string))
                type_error(std::string("can only concatenate str (not \"") + type_name(b) +
                           "\") to str");
            if (a.is_sequence())
                type_error(std::string("can only concatenate ") + type_name(a) + " (not \"" +
                           type_name(b) + "\") to " + type_name(a));
            unsupported("+", a, b);
        case BinaryOp::sub:
            if (ints) return Value::integer(checked_sub(a.as_int(), b.as_int()));
            if (numbers) return Value::floating(a.as_float() - b.as_float());
            unsupported("-", a, b);
        case BinaryOp::mul:
            if (ints) return Value::integer(checked_mul(a.as_int(), b.as_int()));
            if (numbers) return Value::floating(a.as_float() * b.as_float());
            {
                const Value* seq = nullptr;
                const Value* count = nullptr;
                if ((a.is(Value::Kind::string) || a.is_sequence()) &&
                    (b.is(Value::Kind::integer) || b.is(Value::Kind::boolean))) {
                    seq = &a;
                    count = &b;
                } else if ((b.is(Value::Kind::string) || b.is_sequence()) &&
                           (a.is(Value::Kind::integer) || a.is(Value::Kind::boolean))) {
                    seq = &b;
                    count = &a;
                }
                if (seq) {
                    const std::int64_t times = std::max<std::int64_t>(0, count->as_int());
                    if (seq->is(Value::Kind::string)) {
                        if (times * static_cast<std::int64_t>(seq->as_string().size()) >
                            100'000'000)
                            raise("MemoryError", "string repetition too large for a template");
                        std::string s;
                        for (std::int64_t t = 0; t < times; ++t)
                            s += seq->as_string();
                        return make_str(std::move(s));
                    }
                    return sequence_result(*seq, repeat(*seq, times));
                }
                if (a.is(Value::Kind::string) || a.is_sequence())
                    type_error(std::string("can't multiply sequence by non-int of type '") +
                               type_name(b) + "'");
                unsupported("*", a, b);
            }
        case BinaryOp::div:
            if (numbers) {
                if (b.as_float() == 0.0)
                    raise("ZeroDivisionError",
                          ints ? "division by zero" : "float division by zero");
                return Value::floating(a.as_float() / b.as_float());
            }
            unsupported("/", a, b);
        case BinaryOp::floordiv:
            if (ints) return Value::integer(floor_div(a.as_int(), b.as_int()));
            if (numbers) {
                if (b.as_float() == 0.0) raise("ZeroDivisionError", "float floor division by zero");
                double q = 0, m = 0;
                float_divmod(a.as_float(), b.as_float(), q, m);
                return Value::floating(q);
            }
            unsupported("//", a, b);
        case BinaryOp::mod:
            if (a.is(Value::Kind::string)) return make_str(printf_format(a.as_string(), b));
            if (ints) return Value::integer(floor_mod(a.as_int(), b.as_int()));
            if (numbers) {
                if (b.as_float() == 0.0) raise("ZeroDivisionError", "float modulo");
                double q = 0, m = 0;
                float_divmod(a.as_float(), b.as_float(), q, m);
                return Value::floating(m);
            }
            unsupported("%", a, b);
        case BinaryOp::pow:
            if (ints && b.as_int() >= 0) {
                std::int64_t result = 1, base = a.as_int();
                for (std::int64_t e = b.as_int(); e > 0; e >>= 1) {
                    if (e & 1) result = checked_mul(result, base);
                    if (e > 1) base = checked_mul(base, base);
                }
                return Value::integer(result);
            }
            if (numbers) {
                const double x = a.as_float(), y = b.as_float();
                if (x == 0.0 && y < 0)
                    raise("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                if (x < 0 && y != std::floor(y))
                    raise("ValueError", "complex results are not supported in Typhoon templates");
                return Value::floating(std::pow(x, y));
            }
            unsupported("** or pow()", a, b);
        default:
            break;
    }
    if (!ints) unsupported(binary_symbol(op), a, b);
    const std::int64_t x = a.as_int(), y = b.as_int();
    const bool bools = a.is(Value::Kind::boolean) && b.is(Value::Kind::boolean);
    switch (op) {
        case BinaryOp::bitand_:
            return bools ? Value::boolean((x & y) != 0) : Value::integer(x & y);
        case BinaryOp::bitor_:
            return bools ? Value::boolean((x | y) != 0) : Value::integer(x | y);
        case BinaryOp::bitxor:
            return bools ? Value::boolean((x ^ y) != 0) : Value::integer(x ^ y);
        case BinaryOp::lshift:
            if (y < 0) raise("ValueError", "negative shift count");
            // 0 << 72 is 0 in Python, where a C++ shift past 63 is undefined; otherwise a shift
            // is a multiplication by 2**y that must stay in 64 bits.
            if (x == 0) return Value::integer(0);
            if (y >= 64 || (y == 63 && x != -1)) overflow();
            if (y == 63) return Value::integer(std::numeric_limits<std::int64_t>::min());
            return Value::integer(checked_mul(x, std::int64_t{1} << y));
        case BinaryOp::rshift:
            if (y < 0) raise("ValueError", "negative shift count");
            return Value::integer(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
        default:
            break;
    }
    unsupported(binary_symbol(op), a, b);
}

Value negate(const Value& v) {
    if (v.is(Value::Kind::floating)) return Value::floating(-v.as_float());
    if (v.is(Value::Kind::integer) || v.is(Value::Kind::boolean)) {
        return Value::integer(checked_sub(0, v.as_int()));
    }
    type_error(std::string("bad operand type for unary -: '") + type_name(v) + "'");
}

Value positive(const Value& v) {
    if (v.is(Value::Kind::floating)) return v;
    if (v.is(Value::Kind::integer) || v.is(Value::Kind::boolean)) return Value::integer(v.as_int());
    type_error(std::string("bad operand type for unary +: '") + type_name(v) + "'");
}

Value invert(const Value& v) {
    if (v.is(Value::Kind::integer) || v.is(Value::Kind::boolean))
        return Value::integer(~v.as_int());
    type_error(std::string("bad operand type for unary ~: '") + type_name(v) + "'");
}

Value subscript(const Value& a, const Value& index) {
    switch (a.kind()) {
        case Value::Kind::list:
        case Value::Kind::tuple: {
            std::int64_t i = to_index(index, type_name(a));
            const auto n = static_cast<std::int64_t>(a.size());
            if (i < 0) i += n;
            if (i < 0 || i >= n)
                raise("IndexError", std::string(type_name(a)) + " index out of range");
            return a.at(static_cast<std::size_t>(i));
        }
        case Value::Kind::string:
            return string_index(a.as_string(), to_index(index, "string"));
        case Value::Kind::dict: {
            if (index.is(Value::Kind::string)) {
                if (const auto* found = find_key(a.as_dict(), index.as_string()))
                    return Value::json(*found, a.keep());
            } else if (index.is_sequence() || index.is(Value::Kind::dict)) {
                type_error(std::string("unhashable type: '") + type_name(index) + "'");
            }
            std::string key;
            append_repr(key, index);
            raise("KeyError", key);
        }
        default:
            type_error(std::string("'") + type_name(a) + "' object is not subscriptable");
    }
}

Value slice(const Value& a, const Value& start_v, const Value& stop_v, const Value& step_v) {
    auto present = [](const Value& v) {
        return !v.is(Value::Kind::unbound) && !v.is(Value::Kind::none);
    };
    auto as_index = [](const Value& v) {
        if (v.is(Value::Kind::integer) || v.is(Value::Kind::boolean)) return v.as_int();
        type_error("slice indices must be integers or None or have an __index__ method");
    };
    const bool is_string = a.is(Value::Kind::string);
    if (!is_string && !a.is_sequence())
        type_error(std::string("'") + type_name(a) + "' object is not subscriptable");
    std::vector<std::size_t> offsets;
    const bool ascii = is_string && is_ascii(a.as_string());
    if (is_string && !ascii) offsets = code_point_offsets(a.as_string());
    const auto length = static_cast<std::int64_t>(
        is_string ? (ascii ? a.as_string().size() : offsets.size() - 1) : a.size());
    const std::int64_t step = present(step_v) ? as_index(step_v) : 1;
    if (step == 0) raise("ValueError", "slice step cannot be zero");
    // CPython's PySlice_AdjustIndices.
    std::int64_t start = 0, stop = 0;
    if (!present(start_v))
        start = step < 0 ? length - 1 : 0;
    else {
        start = as_index(start_v);
        if (start < 0)
            start = std::max<std::int64_t>(start + length, step < 0 ? -1 : 0);
        else if (start >= length)
            start = step < 0 ? length - 1 : length;
    }
    if (!present(stop_v))
        stop = step < 0 ? -1 : length;
    else {
        stop = as_index(stop_v);
        if (stop < 0)
            stop = std::max<std::int64_t>(stop + length, step < 0 ? -1 : 0);
        else if (stop >= length)
            stop = step < 0 ? length - 1 : length;
    }
    if (is_string) {
        const std::string_view s = a.as_string();
        if (step == 1) {
            if (stop <= start) return make_str({});
            if (ascii)
                return make_str(std::string(s.substr(static_cast<std::size_t>(start),
                                                     static_cast<std::size_t>(stop - start))));
            const auto b = offsets[static_cast<std::size_t>(start)],
                       e = offsets[static_cast<std::size_t>(stop)];
            return make_str(std::string(s.substr(b, e - b)));
        }
        std::string out;
        for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
            const auto k = static_cast<std::size_t>(i);
            if (ascii)
                out.push_back(s[k]);
            else
                out.append(s.substr(offsets[k], offsets[k + 1] - offsets[k]));
        }
        return make_str(std::move(out));
    }
    List items;
    for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
        items.push_back(a.at(static_cast<std::size_t>(i)));
    return sequence_result(a, std::move(items));
}

Value attribute(const Value& a, std::string_view name) {
    if (a.is(Value::Kind::dict)) {
        if (const auto* found = find_key(a.as_dict(), name)) return Value::json(*found, a.keep());
        raise("AttributeError", std::string(name));
    }
    raise("AttributeError", std::string("'") + type_name(a) + "' object has no attribute '" +
                                std::string(name) + "'");
}

List iterate(const Value& v) {
    List items;
    switch (v.kind()) {
        case Value::Kind::list:
        case Value::Kind::tuple:
            items.reserve(v.size());
            for (std::size_t i = 0; i < v.size(); ++i)
                items.push_back(v.at(i));
            return items;
        case Value::Kind::dict:
            items.reserve(v.as_dict().size());
            for (const auto& member : v.as_dict())
                items.push_back(Value::string_view(
                    std::string_view(member.key().data(), member.key().size()), v.keep()));
            return items;
        case Value::Kind::string: {
            const std::string_view s = v.as_string();
            for (std::size_t pos = 0; pos < s.size();) {
                const std::size_t length = code_point_length(static_cast<unsigned char>(s[pos]));
                items.push_back(make_str(std::string(s.substr(pos, length))));
                pos += length;
            }
            return items;
        }
        default:
            type_error(std::string("'") + type_name(v) + "' object is not iterable");
    }
}

}  // namespace typhoon::templates::detail
