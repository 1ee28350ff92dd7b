#include "value.hpp"

#include "case_tables.hpp"

#include <boost/container/small_vector.hpp>

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

void raise(std::string type, std::string message) { throw Fault{std::move(type), std::move(message)}; }

namespace {

// ---- UTF-8 over valid text (template sources and JSON strings are validated) ----

bool is_ascii(std::string_view s) noexcept {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

std::size_t code_point_length(unsigned char lead) noexcept {
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

char32_t decode_at(std::string_view s, std::size_t pos, std::size_t& length) noexcept {
    const auto lead = static_cast<unsigned char>(s[pos]);
    length = std::min(code_point_length(lead), s.size() - pos);
    if (length == 1) return lead;
    char32_t cp = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
    return cp;
}

/// Byte offsets of each code point, plus the end.
std::vector<std::size_t> code_point_offsets(std::string_view s) {
    std::vector<std::size_t> offsets;
    for (std::size_t pos = 0; pos < s.size(); pos += code_point_length(static_cast<unsigned char>(s[pos])))
        offsets.push_back(pos);
    offsets.push_back(s.size());
    return offsets;
}

std::size_t code_point_count(std::string_view s) noexcept {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

// Python's str.isprintable(), closely approximated: control and format characters, separators
// other than the space, and private-use characters are not printable.
bool is_printable(char32_t cp) noexcept {
    if (cp < 0x20 || cp == 0x7F) return false;
    if (cp < 0x7F) return true;
    if (cp <= 0xA0 || cp == 0xAD) return false;
    if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F)) return false;
    if ((cp >= 0x205F && cp <= 0x2064) || cp == 0x3000 || cp == 0xFEFF || cp == 0x061C || cp == 0x180E) return false;
    if ((cp >= 0xD800 && cp <= 0xF8FF) || (cp >= 0xFFF9 && cp <= 0xFFFB)) return false;
    if (cp >= 0xF0000) return false;
    return true;
}

std::string float_repr(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
    return escape::json_encode(boost::json::value(d));  // json_encode writes Python's float repr
}


void append_string_repr(std::string& out, std::string_view s) {
    const bool has_single = s.find('\'') != std::string_view::npos;
    const bool has_double = s.find('"') != std::string_view::npos;
    const char quote = has_single && !has_double ? '"' : '\'';
    out.push_back(quote);
    for (std::size_t pos = 0; pos < s.size();) {
        std::size_t length = 1;
        const char32_t cp = decode_at(s, pos, length);
        if (cp == static_cast<char32_t>(quote) || cp == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(cp));
        } else if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\r') {
            out += "\\r";
        } else if (cp == '\t') {
            out += "\\t";
        } else if (is_printable(cp)) {
            out.append(s.substr(pos, length));
        } else {
            char buffer[16];
            if (cp < 0x100) std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(cp));
            else if (cp < 0x10000) std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(cp));
            else std::snprintf(buffer, sizeof buffer, "\\U%08x", static_cast<unsigned>(cp));
            out += buffer;
        }
        pos += length;
    }
    out.push_back(quote);
}

[[noreturn]] void type_error(std::string message) { raise("TypeError", std::move(message)); }


[[noreturn]] void overflow() { raise("OverflowError", "integer result out of the 64-bit range Typhoon supports"); }
void checked(bool overflowed, std::int64_t) {
    if (overflowed) overflow();
}
std::int64_t checked_add(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) overflow();
    return r;
}
std::int64_t checked_sub(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r)) overflow();
    return r;
}
std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) overflow();
    return r;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    if (b == 0) raise("ZeroDivisionError", "integer division or modulo by zero");
    if (a == std::numeric_limits<std::int64_t>::min() && b == -1) checked(true, 0);
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
    if (b == 0) raise("ZeroDivisionError", "integer division or modulo by zero");
    if (b == -1) return 0;
    std::int64_t m = a % b;
    if (m != 0 && ((m < 0) != (b < 0))) m += b;
    return m;
}

// CPython's float_divmod.
void float_divmod(double vx, double wx, double& floordiv, double& mod) {
    mod = std::fmod(vx, wx);
    double div = (vx - mod) / wx;
    if (mod != 0.0) {
        if ((wx < 0) != (mod < 0)) {
            mod += wx;
            div -= 1.0;
        }
    } else {
        mod = std::copysign(0.0, wx);
    }
    if (div != 0.0) {
        floordiv = std::floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
    } else {
        floordiv = std::copysign(0.0, vx / wx);
    }
}

Value make_str(std::string s) { return Value::string(std::move(s)); }

std::string_view expect_str(const Value& v, const char* function) {
    if (!v.is(Value::Kind::string))
        type_error(std::string(function) + "() argument must be str, not " + type_name(v));
    return v.as_string();
}

// ---- printf-style and str.format formatting ----

struct Spec {
    char fill = ' ';
    char align = 0;  // < > ^ =
    char sign = '-';
    bool alternate = false;
    int width = -1;
    char grouping = 0;
    int precision = -1;
    char type = 0;
};

void pad(std::string& out, std::string body, const Spec& spec, char default_align) {
    if (spec.width <= 0) {
        out += body;
        return;
    }
    const auto length = static_cast<int>(code_point_count(body));
    if (spec.width <= length) {
        out += body;
        return;
    }
    const auto padding = static_cast<std::size_t>(spec.width - length);
    const char align = spec.align ? spec.align : default_align;
    if (align == '<') {
        out += body;
        out.append(padding, spec.fill);
    } else if (align == '^') {
        out.append(padding / 2, spec.fill);
        out += body;
        out.append(padding - padding / 2, spec.fill);
    } else if (align == '=') {
        std::size_t sign_length = 0;
        if (!body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ')) sign_length = 1;
        if (body.size() > sign_length + 1 && body[sign_length] == '0' &&
            std::strchr("xXob", body[sign_length + 1]))
            sign_length += 2;
        out.append(body, 0, sign_length);
        out.append(padding, spec.fill);
        out.append(body, sign_length);
    } else {
        out.append(padding, spec.fill);
        out += body;
    }
}

std::string group_digits(std::string digits, char separator, std::size_t every) {
    std::string grouped;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % every == 0) grouped.push_back(separator);
        grouped.push_back(digits[i]);
    }
    return grouped;
}

std::string format_integer(std::int64_t value, const Spec& spec) {
    const bool negative = value < 0;
    const auto magnitude = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    int base = 10;
    std::string prefix;
    switch (spec.type) {
        case 'x': base = 16; prefix = "0x"; break;
        case 'X': base = 16; prefix = "0X"; break;
        case 'o': base = 8; prefix = "0o"; break;
        case 'b': base = 2; prefix = "0b"; break;
        default: break;
    }
    std::array<char, 72> buffer{};
    auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), magnitude, base);
    std::string digits(buffer.data(), r.ptr);
    if (spec.type == 'X') std::transform(digits.begin(), digits.end(), digits.begin(), ::toupper);
    if (spec.grouping) digits = group_digits(digits, spec.grouping, base == 10 ? 3 : 4);
    std::string body;
    if (negative) body.push_back('-');
    else if (spec.sign == '+' || spec.sign == ' ') body.push_back(spec.sign);
    if (spec.alternate) body += prefix;
    return body + digits;
}

std::string format_double(double value, const Spec& spec) {
    char type = spec.type;
    int precision = spec.precision;
    std::string body;
    if (type == 0 && precision < 0) {
        body = float_repr(value);
    } else if (std::isnan(value) || std::isinf(value)) {
        body = std::isnan(value) ? "nan" : (value < 0 ? "-inf" : "inf");
        if (type && std::isupper(static_cast<unsigned char>(type))) {
            std::transform(body.begin(), body.end(), body.begin(), ::toupper);
        }
    } else {
        bool percent = false;
        if (type == '%') {
            percent = true;
            value *= 100;
            type = 'f';
        }
        if (type == 0) type = 'g';
        if (precision < 0) precision = 6;
        if ((type == 'f' || type == 'F') && precision <= 3 && std::fabs(value) < 1e15) {
            // value * 10^precision is exact in long double's 64-bit mantissa, so rounding it half
            // to even gives the digits printf (and Python) compute from the exact binary value.
            static constexpr long double scales[] = {1.0L, 10.0L, 100.0L, 1000.0L};
            const long double scaled = std::nearbyintl(static_cast<long double>(value) * scales[precision]);
            const auto magnitude = static_cast<std::uint64_t>(std::fabs(scaled));
            std::array<char, 32> digits{};
            auto r = std::to_chars(digits.data(), digits.data() + digits.size(), magnitude);
            std::string_view d(digits.data(), static_cast<std::size_t>(r.ptr - digits.data()));
            if (std::signbit(value)) body.push_back('-');
            const auto p = static_cast<std::size_t>(precision);
            if (d.size() <= p) {
                body += "0";
                if (p) {
                    body.push_back('.');
                    body.append(p - d.size(), '0');
                    body += d;
                }
            } else {
                body.append(d.substr(0, d.size() - p));
                if (p) {
                    body.push_back('.');
                    body.append(d.substr(d.size() - p));
                }
            }
            if (percent) body.push_back('%');
            goto formatted;
        }
        // std::to_chars with a precision writes what printf's %.Nf / %.Ne / %.Ng write.
        const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(type)));
        const auto format = lower == 'f' ? std::chars_format::fixed
                            : lower == 'e' ? std::chars_format::scientific
                                           : std::chars_format::general;
        std::array<char, 400> buffer{};
        const auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, format, std::min(precision, 300));
        body.assign(buffer.data(), r.ptr);
        if (std::isupper(static_cast<unsigned char>(type)))
            std::transform(body.begin(), body.end(), body.begin(), ::toupper);
        if (spec.type == 0 && body.find_first_of(".en") == std::string::npos) body += ".0";
        if (percent) body.push_back('%');
    }
formatted:
    if (spec.grouping) {
        const bool negative = !body.empty() && body[0] == '-';
        std::string number = negative ? body.substr(1) : body;
        const auto end = number.find_first_not_of("0123456789");
        std::string integer = number.substr(0, end);
        body = (negative ? "-" : "") + group_digits(integer, spec.grouping, 3) +
               (end == std::string::npos ? "" : number.substr(end));
    }
    if (body[0] != '-' && (spec.sign == '+' || spec.sign == ' ')) body.insert(body.begin(), spec.sign);
    return body;
}

Spec parse_format_spec(std::string_view text) {
    Spec spec;
    std::size_t i = 0;
    auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
    if (text.size() >= 2 && is_align(text[1])) {
        spec.fill = text[0];
        spec.align = text[1];
        i = 2;
    } else if (!text.empty() && is_align(text[0])) {
        spec.align = text[0];
        i = 1;
    }
    if (i < text.size() && (text[i] == '+' || text[i] == '-' || text[i] == ' ')) spec.sign = text[i++];
    if (i < text.size() && text[i] == '#') {
        spec.alternate = true;
        ++i;
    }
    if (i < text.size() && text[i] == '0') {
        if (!spec.align) {
            spec.fill = '0';
            spec.align = '=';
        }
        ++i;
    }
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
        spec.width = std::max(spec.width, 0) * 10 + (text[i++] - '0');
    if (i < text.size() && (text[i] == ',' || text[i] == '_')) spec.grouping = text[i++];
    if (i < text.size() && text[i] == '.') {
        ++i;
        spec.precision = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            spec.precision = spec.precision * 10 + (text[i++] - '0');
    }
    if (i < text.size()) spec.type = text[i++];
    if (i != text.size()) raise("ValueError", "Invalid format specifier");
    return spec;
}

/// format(value, spec), as str.format applies it.
void format_value(std::string& out, const Value& v, std::string_view spec_text) {
    if (spec_text.empty()) {
        append_str(out, v);
        return;
    }
    const Spec spec = parse_format_spec(spec_text);
    if (v.is(Value::Kind::integer) || (v.is(Value::Kind::boolean) && spec.type)) {
        if (spec.type && std::strchr("eEfFgG%", spec.type)) return pad(out, format_double(v.as_float(), spec), spec, '>');
        if (spec.type && !std::strchr("dxXobn", spec.type))
            raise("ValueError", std::string("Unknown format code '") + spec.type + "' for object of type 'int'");
        return pad(out, format_integer(v.as_int(), spec), spec, '>');
    }
    if (v.is(Value::Kind::floating)) {
        if (spec.type && !std::strchr("eEfFgG%", spec.type))
            raise("ValueError", std::string("Unknown format code '") + spec.type + "' for object of type 'float'");
        return pad(out, format_double(v.as_float(), spec), spec, '>');
    }
    if (v.is(Value::Kind::string)) {
        if (spec.type && spec.type != 's')
            raise("ValueError", std::string("Unknown format code '") + spec.type + "' for object of type 'str'");
        std::string body(v.as_string());
        if (spec.precision >= 0) {
            const auto offsets = code_point_offsets(body);
            if (static_cast<std::size_t>(spec.precision) + 1 < offsets.size())
                body.resize(offsets[static_cast<std::size_t>(spec.precision)]);
        }
        return pad(out, std::move(body), spec, '<');
    }
    raise("TypeError", std::string("unsupported format string passed to ") + type_name(v) + ".__format__");
}

std::string printf_format(std::string_view format, const Value& args) {
    boost::container::small_vector<Value, 4> positional;
    const bool mapping = args.is(Value::Kind::dict);
    if (args.is(Value::Kind::tuple)) {
        for (std::size_t i = 0; i < args.size(); ++i) positional.push_back(args.at(i));
    } else {
        positional.push_back(args);
    }
    std::size_t next = 0;
    bool used_mapping = false;
    std::string out;
    out.reserve(format.size() + 16);
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%') {
            out.push_back(format[i]);
            continue;
        }
        if (++i >= format.size()) raise("ValueError", "incomplete format");
        Value value;
        bool have_value = false;
        if (format[i] == '(') {
            const auto close = format.find(')', i);
            if (close == std::string_view::npos) raise("ValueError", "incomplete format key");
            if (!mapping) type_error("format requires a mapping");
            value = subscript(args, Value::string(std::string(format.substr(i + 1, close - i - 1))));
            have_value = used_mapping = true;
            i = close + 1;
        }
        Spec spec;
        spec.sign = 0;
        bool left = false, zero = false;
        for (; i < format.size() && std::strchr("-+ #0", format[i]); ++i) {
            switch (format[i]) {
                case '-': left = true; break;
                case '+': spec.sign = '+'; break;
                case ' ': if (spec.sign != '+') spec.sign = ' '; break;
                case '#': spec.alternate = true; break;
                default: zero = true; break;
            }
        }
        while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])))
            spec.width = std::max(spec.width, 0) * 10 + (format[i++] - '0');
        if (i < format.size() && format[i] == '.') {
            spec.precision = 0;
            for (++i; i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]));)
                spec.precision = spec.precision * 10 + (format[i++] - '0');
        }
        if (i >= format.size()) raise("ValueError", "incomplete format");
        const char conversion = format[i];
        if (conversion == '%') {
            out.push_back('%');
            continue;
        }
        if (!have_value) {
            if (mapping && positional.size() == 1 && !used_mapping) {
                // "%s" % {"a": 1} formats the dict itself
            }
            if (next >= positional.size()) type_error("not enough arguments for format string");
            value = positional[next++];
        }
        spec.align = left ? '<' : (zero ? '=' : '>');
        spec.fill = (zero && !left) ? '0' : ' ';
        std::string body;
        switch (conversion) {
            case 's': body = to_str(value); if (spec.precision >= 0) { const auto o = code_point_offsets(body); if (static_cast<std::size_t>(spec.precision) + 1 < o.size()) body.resize(o[static_cast<std::size_t>(spec.precision)]); } spec.fill = ' '; if (spec.align == '=') spec.align = '>'; break;
            case 'r': case 'a': append_repr(body, value); spec.fill = ' '; if (spec.align == '=') spec.align = '>'; break;
            case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': {
                if (!value.is_number())
                    type_error(std::string("%") + conversion + " format: a " +
                               (conversion == 'd' || conversion == 'i' || conversion == 'u' ? "real number" : "integer") +
                               " is required, not " + type_name(value));
                std::int64_t n = value.as_int();
                if (value.is(Value::Kind::floating)) {
                    if (conversion != 'd' && conversion != 'i' && conversion != 'u')
                        type_error(std::string("%") + conversion + " format: an integer is required, not float");
                    if (!std::isfinite(value.as_float())) raise("OverflowError", "cannot convert float infinity to integer");
                    n = static_cast<std::int64_t>(value.as_float());
                }
                Spec s = spec;
                s.type = (conversion == 'x' || conversion == 'X' || conversion == 'o') ? conversion : 'd';
                body = format_integer(n, s);
                if (spec.precision > 0) {
                    const bool neg = body[0] == '-' || body[0] == '+' || body[0] == ' ';
                    const std::size_t digits = body.size() - (neg ? 1 : 0);
                    if (static_cast<std::size_t>(spec.precision) > digits)
                        body.insert(neg ? 1 : 0, static_cast<std::size_t>(spec.precision) - digits, '0');
                }
                break;
            }
            case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': {
                if (!value.is_number()) type_error(std::string("must be real number, not ") + type_name(value));
                Spec s = spec;
                s.type = conversion;
                if (s.precision < 0) s.precision = 6;
                body = format_double(value.as_float(), s);
                break;
            }
            case 'c': {
                if (value.is(Value::Kind::string) && code_point_count(value.as_string()) == 1) body = value.as_string();
                else if (value.is(Value::Kind::integer)) escape::append_utf8(body, static_cast<char32_t>(value.as_int()));
                else type_error("%c requires int or char");
                break;
            }
            default:
                raise("ValueError", std::string("unsupported format character '") + conversion + "'");
        }
        pad(out, std::move(body), spec, '>');
    }
    if (!mapping && next < positional.size()) type_error("not all arguments converted during string formatting");
    return out;
}

Value lookup_field(const Value& root, std::string_view rest) {
    Value v = root;
    while (!rest.empty()) {
        if (rest[0] == '.') {
            const auto end = rest.find_first_of(".[", 1);
            v = attribute(v, rest.substr(1, end == std::string_view::npos ? rest.npos : end - 1));
            rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
        } else if (rest[0] == '[') {
            const auto close = rest.find(']');
            if (close == std::string_view::npos) raise("ValueError", "Missing ']' in format string");
            const auto key = rest.substr(1, close - 1);
            const bool numeric = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
            v = subscript(v, numeric ? Value::integer(std::stoll(std::string(key))) : Value::string(std::string(key)));
            rest = rest.substr(close + 1);
        } else {
            raise("ValueError", "Only '.' or '[' may follow ']' in format field specifier");
        }
    }
    return v;
}

std::string str_format(std::string_view format, Args args, Kwargs kwargs) {
    std::string out;
    std::size_t auto_index = 0;
    for (std::size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if (c == '}') {
            if (i + 1 < format.size() && format[i + 1] == '}') ++i;
            else raise("ValueError", "Single '}' encountered in format string");
            out.push_back('}');
            continue;
        }
        if (c != '{') {
            out.push_back(c);
            continue;
        }
        if (i + 1 < format.size() && format[i + 1] == '{') {
            out.push_back('{');
            ++i;
            continue;
        }
        const auto close = format.find('}', i);
        if (close == std::string_view::npos) raise("ValueError", "Single '{' encountered in format string");
        std::string_view field = format.substr(i + 1, close - i - 1);
        i = close;
        std::string_view spec, conversion;
        if (const auto colon = field.find(':'); colon != std::string_view::npos) {
            spec = field.substr(colon + 1);
            field = field.substr(0, colon);
        }
        if (const auto bang = field.find('!'); bang != std::string_view::npos) {
            conversion = field.substr(bang + 1);
            field = field.substr(0, bang);
        }
        const auto name_end = field.find_first_of(".[");
        const std::string_view name = field.substr(0, name_end);
        Value v;
        if (name.empty() || std::all_of(name.begin(), name.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
            const std::size_t index = name.empty() ? auto_index++ : static_cast<std::size_t>(std::stoul(std::string(name)));
            if (index >= args.size())
                raise("IndexError", "Replacement index " + std::to_string(index) + " out of range for positional args tuple");
            v = args[index];
        } else {
            const auto it = std::find_if(kwargs.begin(), kwargs.end(), [&](const Keyword& k) { return k.name == name; });
            if (it == kwargs.end()) {
                std::string key;
                append_string_repr(key, name);
                raise("KeyError", key);
            }
            v = it->value;
        }
        if (name_end != std::string_view::npos) v = lookup_field(v, field.substr(name_end));
        if (conversion == "r" || conversion == "a") {
            std::string r;
            append_repr(r, v);
            v = Value::string(std::move(r));
        } else if (conversion == "s") {
            v = Value::string(to_str(v));
        } else if (!conversion.empty()) {
            raise("ValueError", "Unknown conversion specifier " + std::string(conversion));
        }
        format_value(out, v, spec);
    }
    return out;
}

}  // namespace

const boost::json::value* find_key(const boost::json::object& object, std::string_view key) noexcept {
    if (object.size() > 12) return object.if_contains(key);
    for (const auto& member : object) {
        const auto k = member.key();
        if (k.size() != key.size()) continue;
        std::size_t i = 0;
        while (i < key.size() && k[i] == key[i]) ++i;
        if (i == key.size()) return &member.value();
    }
    return nullptr;
}

namespace {

// ---- strings ----

bool is_space_at(std::string_view s, std::size_t pos, std::size_t& length) {
    return escape::is_unicode_space(decode_at(s, pos, length));
}

std::string_view strip(std::string_view s, bool left, bool right, const Value* chars) {
    auto strippable = [&](std::size_t pos, std::size_t& length) {
        const char32_t cp = decode_at(s, pos, length);
        if (!chars || chars->is(Value::Kind::none)) return escape::is_unicode_space(cp);
        return chars->as_string().find(s.substr(pos, length)) != std::string_view::npos;
    };
    std::size_t begin = 0, end = s.size();
    if (left) {
        std::size_t length = 1;
        while (begin < end && strippable(begin, length)) begin += length;
    }
    if (right) {
        while (end > begin) {
            std::size_t start = end - 1;
            while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
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
            while (pos < s.size() && is_space_at(s, pos, length)) pos += length;
            if (pos >= s.size()) break;
            if (maxsplit >= 0 && static_cast<std::int64_t>(parts.size()) == maxsplit) {
                std::string_view rest = strip(s.substr(pos), false, true, nullptr);
                parts.push_back(Value::string(std::string(rest)));
                break;
            }
            const std::size_t start = pos;
            while (pos < s.size() && !is_space_at(s, pos, length)) pos += length;
            parts.push_back(Value::string(std::string(s.substr(start, pos - start))));
        }
        return Value::list(std::move(parts));
    }
    const std::string_view separator = expect_str(*sep, "split");
    if (separator.empty()) raise("ValueError", "empty separator");
    std::size_t start = 0;
    while (true) {
        const auto found = s.find(separator, start);
        if (found == std::string_view::npos || (maxsplit >= 0 && static_cast<std::int64_t>(parts.size()) == maxsplit)) {
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
    const auto* it = std::lower_bound(table, end, cp, [](const CaseMapping& m, char32_t c) { return m.from < c; });
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
        const auto* it = std::lower_bound(table, end, cp, [](const CaseMapping& m, char32_t c) { return m.from < c; });
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
        if (make_upper) append_mapped(out, cp, upper_mappings, upper_mappings_size);
        else append_mapped(out, cp, lower_mappings, lower_mappings_size);
        previous_cased = has_case_mapping(cp);
        first = false;
    }
    return out;
}

Value string_index(std::string_view s, std::int64_t index, const std::shared_ptr<const void>&) {
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

Value sequence_result(const Value& like, List items) { return Value::list(std::move(items), like.is(Value::Kind::tuple)); }

Value make_int_from_string(std::string_view text, int base) {
    std::string_view s = strip(text, true, true, nullptr);
    std::string digits;
    bool negative = false;
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (base == 16 && i + 1 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) i += 2;
    bool ok = i < s.size();
    bool previous_digit = false;
    for (; i < s.size() && ok; ++i) {
        if (s[i] == '_' && previous_digit) {
            previous_digit = false;
            continue;
        }
        const char c = s[i];
        const int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'z') ? c - 'a' + 10 : (c >= 'A' && c <= 'Z') ? c - 'A' + 10 : 99;
        if (d >= base) ok = false;
        digits.push_back(c);
        previous_digit = true;
    }
    if (!previous_digit) ok = false;
    std::uint64_t magnitude = 0;
    if (ok) {
        auto r = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
        if (r.ec != std::errc{}) raise("OverflowError", "integer out of the 64-bit range Typhoon supports");
    }
    if (!ok) {
        std::string literal;
        append_string_repr(literal, text);
        raise("ValueError", "invalid literal for int() with base " + std::to_string(base) + ": " + literal);
    }
    if (magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0))
        raise("OverflowError", "integer out of the 64-bit range Typhoon supports");
    return Value::integer(negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude));
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
    if (body == "inf" || body == "infinity") return Value::floating(negative ? -HUGE_VAL : HUGE_VAL);
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
        append_string_repr(literal, text);
        raise("ValueError", "could not convert string to float: " + literal);
    }
    return Value::floating(d);
}

bool less(const Value& a, const Value& b) { return compare(CompareOp::lt, a, b); }

const Value* keyword(Kwargs kwargs, std::string_view name) {
    for (const auto& k : kwargs)
        if (k.name == name) return &k.value;
    return nullptr;
}

void check_arity(std::string_view name, std::size_t given, std::size_t min, std::size_t max) {
    if (given < min || given > max) {
        type_error(std::string(name) + "() takes " +
                   (min == max ? std::to_string(min) : "from " + std::to_string(min) + " to " + std::to_string(max)) +
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
    if (!x.is_number()) type_error(std::string("type ") + type_name(x) + " doesn't define __round__ method");
    const bool with_digits = args.size() > 1 && !args[1].is(Value::Kind::none);
    if (x.is(Value::Kind::integer) || x.is(Value::Kind::boolean)) {
        if (!with_digits || args[1].as_int() >= 0) return Value::integer(x.as_int());
        std::int64_t scale = 1;
        for (std::int64_t i = 0; i < -args[1].as_int() && scale < 1000000000000000000; ++i) scale *= 10;
        const std::int64_t q = floor_div(x.as_int(), scale), r = x.as_int() - q * scale;
        std::int64_t rounded = q;
        if (2 * r > scale || (2 * r == scale && (q % 2 != 0))) ++rounded;
        return Value::integer(rounded * scale);
    }
    const double d = x.as_float();
    if (!with_digits) {
        if (!std::isfinite(d)) raise(std::isnan(d) ? "ValueError" : "OverflowError", "cannot convert float to integer");
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
    {Builtin::xhtml_escape, "xhtml_escape"}, {Builtin::url_escape, "url_escape"},
    {Builtin::json_encode, "json_encode"},   {Builtin::squeeze, "squeeze"},
    {Builtin::linkify, "linkify"},           {Builtin::len, "len"},
    {Builtin::str, "str"},                   {Builtin::int_, "int"},
    {Builtin::float_, "float"},              {Builtin::bool_, "bool"},
    {Builtin::range, "range"},               {Builtin::sorted, "sorted"},
    {Builtin::enumerate, "enumerate"},       {Builtin::min, "min"},
    {Builtin::max, "max"},                   {Builtin::abs, "abs"},
    {Builtin::round, "round"},               {Builtin::list, "list"},
    {Builtin::dict, "dict"},                 {Builtin::tuple, "tuple"},
    {Builtin::zip, "zip"},                   {Builtin::reversed, "reversed"},
    {Builtin::sum, "sum"},                   {Builtin::any, "any"},
    {Builtin::all, "all"},                   {Builtin::repr, "repr"},
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
                type_error(std::string("Expected bytes, unicode, or None; got <class '") + type_name(args[0]) + "'>");
            return make_str(escape::xhtml_escape(args[0].as_string()));
        }
        case Builtin::url_escape: {
            need(1, 2);
            if (!args[0].is(Value::Kind::string))
                type_error(std::string("Expected bytes, unicode, or None; got <class '") + type_name(args[0]) + "'>");
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
                type_error(std::string("Expected bytes, unicode, or None; got <class '") + type_name(args[0]) + "'>");
            escape::LinkifyOptions options;
            auto option = [&](std::size_t position, std::string_view key) -> const Value* {
                if (args.size() > position) return &args[position];
                return keyword(kwargs, key);
            };
            if (const Value* v = option(1, "shorten")) options.shorten = truthy(*v);
            if (const Value* v = option(2, "extra_params")) options.extra_params = expect_str(*v, "linkify");
            if (const Value* v = option(3, "require_protocol")) options.require_protocol = truthy(*v);
            if (const Value* v = option(4, "permitted_protocols")) {
                options.permitted_protocols.clear();
                for (const Value& p : iterate(*v)) options.permitted_protocols.emplace_back(expect_str(p, "linkify"));
            }
            return make_str(escape::linkify(args[0].as_string(), options));
        }
        case Builtin::len: {
            need(1, 1);
            const Value& v = args[0];
            if (v.is(Value::Kind::string)) return Value::integer(static_cast<std::int64_t>(code_point_count(v.as_string())));
            if (v.is_sequence()) return Value::integer(static_cast<std::int64_t>(v.size()));
            if (v.is(Value::Kind::dict)) return Value::integer(static_cast<std::int64_t>(v.as_dict().size()));
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
            if (v.is(Value::Kind::integer) || v.is(Value::Kind::boolean)) return Value::integer(v.as_int());
            if (v.is(Value::Kind::floating)) {
                const double d = v.as_float();
                if (std::isnan(d)) raise("ValueError", "cannot convert float NaN to integer");
                if (std::isinf(d)) raise("OverflowError", "cannot convert float infinity to integer");
                if (std::fabs(d) >= 9.2233720368547758e18) raise("OverflowError", "integer out of the 64-bit range Typhoon supports");
                return Value::integer(static_cast<std::int64_t>(d));
            }
            if (v.is(Value::Kind::string)) return make_int_from_string(v.as_string(), 10);
            type_error(std::string("int() argument must be a string, a bytes-like object or a real number, not '") + type_name(v) + "'");
        }
        case Builtin::float_: {
            need(0, 1);
            if (args.empty()) return Value::floating(0.0);
            const Value& v = args[0];
            if (v.is_number()) return Value::floating(v.as_float());
            if (v.is(Value::Kind::string)) return make_float_from_string(v.as_string());
            type_error(std::string("float() argument must be a string or a real number, not '") + type_name(v) + "'");
        }
        case Builtin::bool_: {
            need(0, 1);
            return Value::boolean(!args.empty() && truthy(args[0]));
        }
        case Builtin::range: {
            need(1, 3);
            for (const Value& a : args)
                if (!a.is(Value::Kind::integer) && !a.is(Value::Kind::boolean))
                    type_error(std::string("'") + type_name(a) + "' object cannot be interpreted as an integer");
            std::int64_t start = 0, stop = 0, step = 1;
            if (args.size() == 1) stop = args[0].as_int();
            else {
                start = args[0].as_int();
                stop = args[1].as_int();
                if (args.size() == 3) step = args[2].as_int();
            }
            if (step == 0) raise("ValueError", "range() arg 3 must not be zero");
            List items;
            for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
                items.push_back(Value::integer(i));
                if (items.size() > 10'000'000) raise("MemoryError", "range too large for a template");
            }
            return Value::list(std::move(items));
        }
        case Builtin::sorted: {
            need(1, 1);
            List items = iterate(args[0]);
            const Value* reverse = keyword(kwargs, "reverse");
            if (keyword(kwargs, "key")) type_error("sorted() with key= is not supported in Typhoon templates");
            if (reverse && truthy(*reverse)) {
                std::reverse(items.begin(), items.end());
                std::stable_sort(items.begin(), items.end(), [](const Value& a, const Value& b) { return less(b, a); });
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
            for (auto& item : items) pairs.push_back(Value::list({Value::integer(start++), std::move(item)}, true));
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
                for (auto& l : lists) t.push_back(l[i]);
                tuples.push_back(Value::list(std::move(t), true));
            }
            return Value::list(std::move(tuples));
        }
        case Builtin::min: return min_max(name, args, kwargs, false);
        case Builtin::max: return min_max(name, args, kwargs, true);
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
            return Value::list(args.empty() ? List{} : iterate(args[0]), f.builtin == Builtin::tuple);
        }
        case Builtin::dict: {
            need(0, 1);
            boost::json::object object;
            if (!args.empty()) {
                if (args[0].is(Value::Kind::dict)) object = args[0].as_dict();
                else
                    for (const Value& pair : iterate(args[0])) {
                        if (!pair.is_sequence() || pair.size() != 2) raise("ValueError", "dictionary update sequence element has wrong length");
                        const Value key = pair.at(0);
                        if (!key.is(Value::Kind::string)) type_error("dict keys must be strings in Typhoon templates");
                        object[key.as_string()] = to_json(pair.at(1));
                    }
            }
            for (const auto& k : kwargs) object[k.name] = to_json(k.value);
            return Value::owned_json(std::move(object));
        }
        case Builtin::sum: {
            need(1, 2);
            Value total = args.size() > 1 ? args[1] : Value::integer(0);
            if (const Value* s = keyword(kwargs, "start")) total = *s;
            for (const Value& v : iterate(args[0])) total = binary(BinaryOp::add, total, v);
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
        case Builtin::user: break;
    }
    type_error("not callable");
}

}  // namespace

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
        case boost::json::kind::null: return v;
        case boost::json::kind::bool_: return boolean(j.get_bool());
        case boost::json::kind::int64: return integer(j.get_int64());
        case boost::json::kind::uint64:
            if (j.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                raise("OverflowError", "integer out of the 64-bit range Typhoon supports");
            return integer(static_cast<std::int64_t>(j.get_uint64()));
        case boost::json::kind::double_: return floating(j.get_double());
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
        case Value::Kind::none: return "NoneType";
        case Value::Kind::boolean: return "bool";
        case Value::Kind::integer: return "int";
        case Value::Kind::floating: return "float";
        case Value::Kind::string: return "str";
        case Value::Kind::list: return "list";
        case Value::Kind::tuple: return "tuple";
        case Value::Kind::dict: return "dict";
        case Value::Kind::function: return "builtin_function_or_method";
    }
    return "object";
}

bool truthy(const Value& v) noexcept {
    switch (v.kind()) {
        case Value::Kind::unbound:
        case Value::Kind::none: return false;
        case Value::Kind::boolean:
        case Value::Kind::integer: return v.as_int() != 0;
        case Value::Kind::floating: return v.as_float() != 0.0;
        case Value::Kind::string: return !v.as_string().empty();
        case Value::Kind::list:
        case Value::Kind::tuple: return v.size() != 0;
        case Value::Kind::dict: return !v.as_dict().empty();
        case Value::Kind::function: return true;
    }
    return false;
}

void append_str(std::string& out, const Value& v) {
    switch (v.kind()) {
        case Value::Kind::string: out += v.as_string(); return;
        case Value::Kind::integer: {
            std::array<char, 24> buffer{};
            auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v.as_int());
            out.append(buffer.data(), r.ptr);
            return;
        }
        case Value::Kind::unbound:
        case Value::Kind::none: out += "None"; return;
        case Value::Kind::boolean: out += v.as_int() ? "True" : "False"; return;
        case Value::Kind::floating: out += float_repr(v.as_float()); return;
        default: append_repr(out, v); return;
    }
}

void append_repr(std::string& out, const Value& v) {
    switch (v.kind()) {
        case Value::Kind::string: append_string_repr(out, v.as_string()); return;
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
                append_string_repr(out, std::string_view(member.key().data(), member.key().size()));
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
        default: append_str(out, v); return;
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
        case Value::Kind::none: return nullptr;
        case Value::Kind::boolean: return v.as_int() != 0;
        case Value::Kind::integer: return v.as_int();
        case Value::Kind::floating: return v.as_float();
        case Value::Kind::string: return boost::json::string(v.as_string());
        case Value::Kind::list:
        case Value::Kind::tuple: {
            boost::json::array a;
            a.reserve(v.size());
            for (std::size_t i = 0; i < v.size(); ++i) a.push_back(to_json(v.at(i)));
            return a;
        }
        case Value::Kind::dict: return v.as_dict();
        case Value::Kind::function: break;
    }
    type_error("Object of type builtin_function_or_method is not JSON serializable");
}

bool equal(const Value& a, const Value& b) {
    if (a.is_number() && b.is_number()) {
        if (a.is(Value::Kind::floating) || b.is(Value::Kind::floating)) return a.as_float() == b.as_float();
        return a.as_int() == b.as_int();
    }
    if (a.kind() != b.kind()) {
        const bool a_none = a.is(Value::Kind::none) || a.is(Value::Kind::unbound);
        const bool b_none = b.is(Value::Kind::none) || b.is(Value::Kind::unbound);
        return a_none && b_none;
    }
    switch (a.kind()) {
        case Value::Kind::string: return a.as_string() == b.as_string();
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
                if (!other || !equal(Value::json(member.value()), Value::json(*other))) return false;
            }
            return true;
        }
        case Value::Kind::function: return a.as_function() == b.as_function();
        default: return true;
    }
}

namespace {

const char* op_symbol(CompareOp op) {
    switch (op) {
        case CompareOp::lt: return "<";
        case CompareOp::le: return "<=";
        case CompareOp::gt: return ">";
        case CompareOp::ge: return ">=";
        default: return "==";
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
    type_error(std::string("'") + op_symbol(op) + "' not supported between instances of '" + type_name(a) + "' and '" +
               type_name(b) + "'");
}

bool contains(const Value& container, const Value& item) {
    switch (container.kind()) {
        case Value::Kind::string:
            if (!item.is(Value::Kind::string))
                type_error(std::string("'in <string>' requires string as left operand, not ") + type_name(item));
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
        default: type_error(std::string("argument of type '") + type_name(container) + "' is not iterable");
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
            return a.as_string().data() == b.as_string().data() && a.as_string().size() == b.as_string().size();
        case Value::Kind::list:
        case Value::Kind::tuple: return a.size() == b.size() && (a.size() == 0 || &a == &b || a.keep() == b.keep());
        case Value::Kind::dict: return &a.as_dict() == &b.as_dict();
        default: return equal(a, b);
    }
}

List repeat(const Value& seq, std::int64_t times) {
    List items;
    for (std::int64_t t = 0; t < times; ++t)
        for (std::size_t i = 0; i < seq.size(); ++i) items.push_back(seq.at(i));
    return items;
}

[[noreturn]] void unsupported(const char* symbol, const Value& a, const Value& b) {
    type_error(std::string("unsupported operand type(s) for ") + symbol + ": '" + type_name(a) + "' and '" + type_name(b) + "'");
}

const char* binary_symbol(BinaryOp op) {
    switch (op) {
        case BinaryOp::add: return "+";
        case BinaryOp::sub: return "-";
        case BinaryOp::mul: return "*";
        case BinaryOp::div: return "/";
        case BinaryOp::floordiv: return "//";
        case BinaryOp::mod: return "%";
        case BinaryOp::pow: return "** or pow()";
        case BinaryOp::bitand_: return "&";
        case BinaryOp::bitor_: return "|";
        case BinaryOp::bitxor: return "^";
        case BinaryOp::lshift: return "<<";
        case BinaryOp::rshift: return ">>";
    }
    return "?";
}

}  // namespace

bool compare(CompareOp op, const Value& a, const Value& b) {
    switch (op) {
        case CompareOp::eq: return equal(a, b);
        case CompareOp::ne: return !equal(a, b);
        case CompareOp::in: return contains(b, a);
        case CompareOp::not_in: return !contains(b, a);
        case CompareOp::is: return identical(a, b);
        case CompareOp::is_not: return !identical(a, b);
        default: break;
    }
    const int c = order(op, a, b);
    if (c == 2) return false;
    switch (op) {
        case CompareOp::lt: return c < 0;
        case CompareOp::le: return c <= 0;
        case CompareOp::gt: return c > 0;
        default: return c >= 0;
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
                for (std::size_t i = 0; i < a.size(); ++i) items.push_back(a.at(i));
                for (std::size_t i = 0; i < b.size(); ++i) items.push_back(b.at(i));
                return sequence_result(a, std::move(items));
            }
            if (a.is(Value::Kind::string)) type_error(std::string("can only concatenate str (not \"") + type_name(b) + "\") to str");
            if (a.is_sequence())
                type_error(std::string("can only concatenate ") + type_name(a) + " (not \"" + type_name(b) + "\") to " + type_name(a));
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
                if ((a.is(Value::Kind::string) || a.is_sequence()) && (b.is(Value::Kind::integer) || b.is(Value::Kind::boolean))) {
                    seq = &a;
                    count = &b;
                } else if ((b.is(Value::Kind::string) || b.is_sequence()) && (a.is(Value::Kind::integer) || a.is(Value::Kind::boolean))) {
                    seq = &b;
                    count = &a;
                }
                if (seq) {
                    const std::int64_t times = std::max<std::int64_t>(0, count->as_int());
                    if (seq->is(Value::Kind::string)) {
                        if (times * static_cast<std::int64_t>(seq->as_string().size()) > 100'000'000)
                            raise("MemoryError", "string repetition too large for a template");
                        std::string s;
                        for (std::int64_t t = 0; t < times; ++t) s += seq->as_string();
                        return make_str(std::move(s));
                    }
                    return sequence_result(*seq, repeat(*seq, times));
                }
                if (a.is(Value::Kind::string) || a.is_sequence())
                    type_error(std::string("can't multiply sequence by non-int of type '") + type_name(b) + "'");
                unsupported("*", a, b);
            }
        case BinaryOp::div:
            if (numbers) {
                if (b.as_float() == 0.0) raise("ZeroDivisionError", ints ? "division by zero" : "float division by zero");
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
                if (x == 0.0 && y < 0) raise("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                if (x < 0 && y != std::floor(y)) raise("ValueError", "complex results are not supported in Typhoon templates");
                return Value::floating(std::pow(x, y));
            }
            unsupported("** or pow()", a, b);
        default: break;
    }
    if (!ints) unsupported(binary_symbol(op), a, b);
    const std::int64_t x = a.as_int(), y = b.as_int();
    const bool bools = a.is(Value::Kind::boolean) && b.is(Value::Kind::boolean);
    switch (op) {
        case BinaryOp::bitand_: return bools ? Value::boolean((x & y) != 0) : Value::integer(x & y);
        case BinaryOp::bitor_: return bools ? Value::boolean((x | y) != 0) : Value::integer(x | y);
        case BinaryOp::bitxor: return bools ? Value::boolean((x ^ y) != 0) : Value::integer(x ^ y);
        case BinaryOp::lshift:
            if (y < 0) raise("ValueError", "negative shift count");
            if (y >= 63 || (x != 0 && (std::abs(x) >> (62 - y)) != 0)) checked(x != 0, 0);
            return Value::integer(static_cast<std::int64_t>(static_cast<std::uint64_t>(x) << y));
        case BinaryOp::rshift:
            if (y < 0) raise("ValueError", "negative shift count");
            return Value::integer(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
        default: break;
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
    if (v.is(Value::Kind::integer) || v.is(Value::Kind::boolean)) return Value::integer(~v.as_int());
    type_error(std::string("bad operand type for unary ~: '") + type_name(v) + "'");
}

Value subscript(const Value& a, const Value& index) {
    switch (a.kind()) {
        case Value::Kind::list:
        case Value::Kind::tuple: {
            std::int64_t i = to_index(index, type_name(a));
            const auto n = static_cast<std::int64_t>(a.size());
            if (i < 0) i += n;
            if (i < 0 || i >= n) raise("IndexError", std::string(type_name(a)) + " index out of range");
            return a.at(static_cast<std::size_t>(i));
        }
        case Value::Kind::string: return string_index(a.as_string(), to_index(index, "string"), a.keep());
        case Value::Kind::dict: {
            if (index.is(Value::Kind::string)) {
                if (const auto* found = find_key(a.as_dict(), index.as_string())) return Value::json(*found, a.keep());
            } else if (index.is_sequence() || index.is(Value::Kind::dict)) {
                type_error(std::string("unhashable type: '") + type_name(index) + "'");
            }
            std::string key;
            append_repr(key, index);
            raise("KeyError", key);
        }
        default: type_error(std::string("'") + type_name(a) + "' object is not subscriptable");
    }
}

Value slice(const Value& a, const Value& start_v, const Value& stop_v, const Value& step_v) {
    auto present = [](const Value& v) { return !v.is(Value::Kind::unbound) && !v.is(Value::Kind::none); };
    auto as_index = [](const Value& v) {
        if (v.is(Value::Kind::integer) || v.is(Value::Kind::boolean)) return v.as_int();
        type_error("slice indices must be integers or None or have an __index__ method");
    };
    const bool is_string = a.is(Value::Kind::string);
    if (!is_string && !a.is_sequence()) type_error(std::string("'") + type_name(a) + "' object is not subscriptable");
    std::vector<std::size_t> offsets;
    const bool ascii = is_string && is_ascii(a.as_string());
    if (is_string && !ascii) offsets = code_point_offsets(a.as_string());
    const auto length = static_cast<std::int64_t>(is_string ? (ascii ? a.as_string().size() : offsets.size() - 1) : a.size());
    const std::int64_t step = present(step_v) ? as_index(step_v) : 1;
    if (step == 0) raise("ValueError", "slice step cannot be zero");
    // CPython's PySlice_AdjustIndices.
    std::int64_t start = 0, stop = 0;
    if (!present(start_v)) start = step < 0 ? length - 1 : 0;
    else {
        start = as_index(start_v);
        if (start < 0) start = std::max<std::int64_t>(start + length, step < 0 ? -1 : 0);
        else if (start >= length) start = step < 0 ? length - 1 : length;
    }
    if (!present(stop_v)) stop = step < 0 ? -1 : length;
    else {
        stop = as_index(stop_v);
        if (stop < 0) stop = std::max<std::int64_t>(stop + length, step < 0 ? -1 : 0);
        else if (stop >= length) stop = step < 0 ? length - 1 : length;
    }
    if (is_string) {
        const std::string_view s = a.as_string();
        if (step == 1) {
            if (stop <= start) return make_str({});
            if (ascii) return make_str(std::string(s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(stop - start))));
            const auto b = offsets[static_cast<std::size_t>(start)], e = offsets[static_cast<std::size_t>(stop)];
            return make_str(std::string(s.substr(b, e - b)));
        }
        std::string out;
        for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
            const auto k = static_cast<std::size_t>(i);
            if (ascii) out.push_back(s[k]);
            else out.append(s.substr(offsets[k], offsets[k + 1] - offsets[k]));
        }
        return make_str(std::move(out));
    }
    List items;
    for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) items.push_back(a.at(static_cast<std::size_t>(i)));
    return sequence_result(a, std::move(items));
}

Value attribute(const Value& a, std::string_view name) {
    if (a.is(Value::Kind::dict)) {
        if (const auto* found = find_key(a.as_dict(), name)) return Value::json(*found, a.keep());
        raise("AttributeError", std::string(name));
    }
    raise("AttributeError", std::string("'") + type_name(a) + "' object has no attribute '" + std::string(name) + "'");
}

List iterate(const Value& v) {
    List items;
    switch (v.kind()) {
        case Value::Kind::list:
        case Value::Kind::tuple:
            items.reserve(v.size());
            for (std::size_t i = 0; i < v.size(); ++i) items.push_back(v.at(i));
            return items;
        case Value::Kind::dict:
            items.reserve(v.as_dict().size());
            for (const auto& member : v.as_dict())
                items.push_back(Value::string_view(std::string_view(member.key().data(), member.key().size()), v.keep()));
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
        default: type_error(std::string("'") + type_name(v) + "' object is not iterable");
    }
}

Value call(const Value& callee, Args args, Kwargs kwargs) {
    if (!callee.is(Value::Kind::function)) type_error(std::string("'") + type_name(callee) + "' object is not callable");
    const Callable& f = *callee.as_function();
    if (f.builtin != Builtin::user) return call_builtin(f, args, kwargs);
    boost::json::array json_args;
    json_args.reserve(args.size());
    for (const Value& a : args) json_args.push_back(to_json(a));
    boost::json::object json_kwargs;
    for (const auto& k : kwargs) json_kwargs[k.name] = to_json(k.value);
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

Value call_method(const Value& self, std::string_view name, Args args,
                  Kwargs kwargs) {
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
            if (chars && !chars->is(Value::Kind::none)) expect_str(*chars, name == "strip" ? "strip" : "lstrip");
            return make_str(std::string(strip(s, name != "rstrip", name != "lstrip", chars)));
        }
        if (name == "startswith" || name == "endswith") {
            need(1, 1);
            auto test = [&](const Value& affix) {
                const std::string_view x = expect_str(affix, name == "startswith" ? "startswith" : "endswith");
                return name == "startswith" ? s.substr(0, x.size()) == x
                                            : s.size() >= x.size() && s.substr(s.size() - x.size()) == x;
            };
            if (args[0].is(Value::Kind::tuple)) {
                for (std::size_t i = 0; i < args[0].size(); ++i)
                    if (test(args[0].at(i))) return Value::boolean(true);
                return Value::boolean(false);
            }
            if (!args[0].is(Value::Kind::string))
                type_error(std::string(name) + " first arg must be str or a tuple of str, not " + type_name(args[0]));
            return Value::boolean(test(args[0]));
        }
        if (name == "join") {
            need(1, 1);
            std::string out;
            auto add = [&](std::size_t i, const Value& item) {
                if (!item.is(Value::Kind::string))
                    type_error("sequence item " + std::to_string(i) + ": expected str instance, " + type_name(item) + " found");
                if (i) out += s;
                out += item.as_string();
            };
            if (args[0].is_sequence()) {
                for (std::size_t i = 0; i < args[0].size(); ++i) add(i, args[0].at(i));
            } else {
                const List items = iterate(args[0]);
                for (std::size_t i = 0; i < items.size(); ++i) add(i, items[i]);
            }
            return make_str(std::move(out));
        }
        if (name == "replace") {
            need(2, 3);
            const std::string_view from = expect_str(args[0], "replace"), to = expect_str(args[1], "replace");
            std::int64_t count = args.size() > 2 ? args[2].as_int() : -1;
            std::string out;
            if (from.empty()) {
                // Python inserts `to` around every character.
                const auto offsets = code_point_offsets(s);
                for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
                    if (count != 0) { out += to; --count; }
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
                if (x.empty()) return Value::integer(static_cast<std::int64_t>(code_point_count(s) + 1));
                std::int64_t n = 0;
                for (auto pos = s.find(x); pos != std::string_view::npos; pos = s.find(x, pos + x.size())) ++n;
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
                if (name == "isspace") ok = escape::is_unicode_space(cp);
                else if (cp < 0x80) {
                    const auto c = static_cast<unsigned char>(cp);
                    ok = name == "isdigit" ? std::isdigit(c) != 0 : name == "isalpha" ? std::isalpha(c) != 0 : std::isalnum(c) != 0;
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
                if (const auto* found = object.if_contains(args[0].as_string())) return Value::json(*found, self.keep());
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
                if (name == "values") items.push_back(std::move(v));
                else
                    items.push_back(Value::list(
                        {Value::string_view(std::string_view(member.key().data(), member.key().size()), self.keep()), std::move(v)}, true));
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
            if (name == "index") raise("ValueError", std::string(type_name(self)) + ".index(x): x not in " + type_name(self));
            return Value::integer(n);
        }
    }
    raise("AttributeError", std::string("'") + type_name(self) + "' object has no attribute '" + std::string(name) + "'");
}

const Callable* find_builtin(std::string_view name) noexcept {
    if (name == "escape") return &escape_alias;
    for (const auto& b : builtins)
        if (b.name == name) return &b;
    return nullptr;
}

void append_escaped(std::string& out, const Value& callee, std::string_view text) {
    if (callee.is(Value::Kind::function) && callee.as_function()->builtin == Builtin::xhtml_escape) {
        // The common case, without a temporary string when nothing needs escaping.
        // Clean runs go straight to the output; each special character goes through xhtml_escape
        // alone (a short string: no allocation).
        static constexpr auto special = [] {
            std::array<bool, 256> table{};
            for (const unsigned char c : {'&', '<', '>', '"', '\''}) table[c] = true;
            return table;
        }();
        std::size_t run = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (special[static_cast<unsigned char>(text[i])]) {
                out.append(text.data() + run, i - run);
                out += escape::xhtml_escape(text.substr(i, 1));
                run = i + 1;
            }
        }
        out.append(text.data() + run, text.size() - run);
        return;
    }
    const Value argument = Value::string_view(text);
    Value result = call(callee, Args(&argument, 1), {});
    if (!result.is(Value::Kind::string) && !result.is(Value::Kind::none))
        type_error(std::string("Expected bytes, unicode, or None; got <class '") + type_name(result) + "'>");
    if (result.is(Value::Kind::none)) type_error("sequence item: expected a bytes-like object, NoneType found");
    out += result.as_string();
}

}  // namespace typhoon::templates::detail
