#include "format.hpp"

#include "python.hpp"

#include <boost/container/small_vector.hpp>

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/utf8.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace typhoon::templates::detail {

namespace {

// Python pads to any width memory holds; a template is not trusted that far: a width or precision
// that would make one value megabytes long is refused.
constexpr int max_width = 65536;

// An argument index or subscript of a replacement field ("{12}", "{0[3]}"): digits only, and
// refused past what Python's Py_ssize_t holds, with Python's message.
std::int64_t field_number(std::string_view digits) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size())
        raise("ValueError", "Too many decimal digits in format string");
    return n;
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
    const auto magnitude =
        negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    int base = 10;
    std::string prefix;
    switch (spec.type) {
        case 'x':
            base = 16;
            prefix = "0x";
            break;
        case 'X':
            base = 16;
            prefix = "0X";
            break;
        case 'o':
            base = 8;
            prefix = "0o";
            break;
        case 'b':
            base = 2;
            prefix = "0b";
            break;
        default:
            break;
    }
    std::array<char, 72> buffer{};
    auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), magnitude, base);
    std::string digits(buffer.data(), r.ptr);
    if (spec.type == 'X') std::transform(digits.begin(), digits.end(), digits.begin(), ::toupper);
    if (spec.grouping) digits = group_digits(digits, spec.grouping, base == 10 ? 3 : 4);
    std::string body;
    if (negative)
        body.push_back('-');
    else if (spec.sign == '+' || spec.sign == ' ')
        body.push_back(spec.sign);
    if (spec.alternate) body += prefix;
    return body + digits;
}

std::string format_double(double value, const Spec& spec) {
    char type = spec.type;
    int precision = spec.precision;
    std::string body;
    if (type == 0 && precision < 0) {
        body = escape::detail::python_float_repr(value);
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
            const long double scaled =
                std::nearbyintl(static_cast<long double>(value) * scales[precision]);
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
        const auto format = lower == 'f'   ? std::chars_format::fixed
                            : lower == 'e' ? std::chars_format::scientific
                                           : std::chars_format::general;
        std::array<char, 400> buffer{};
        const auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, format,
                                     std::min(precision, 300));
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
    if (body[0] != '-' && (spec.sign == '+' || spec.sign == ' '))
        body.insert(body.begin(), spec.sign);
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
    if (i < text.size() && (text[i] == '+' || text[i] == '-' || text[i] == ' '))
        spec.sign = text[i++];
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
    // Python pads to any width memory holds; a template is not trusted that far (max_width).
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        spec.width = std::max(spec.width, 0) * 10 + (text[i++] - '0');
        if (spec.width > max_width) raise("ValueError", "width too big (over 65536)");
    }
    if (i < text.size() && (text[i] == ',' || text[i] == '_')) spec.grouping = text[i++];
    if (i < text.size() && text[i] == '.') {
        ++i;
        spec.precision = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            spec.precision = spec.precision * 10 + (text[i++] - '0');
            if (spec.precision > max_width) raise("ValueError", "precision too big (over 65536)");
        }
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
        if (spec.type && std::strchr("eEfFgG%", spec.type))
            return pad(out, format_double(v.as_float(), spec), spec, '>');
        if (spec.type && !std::strchr("dxXobn", spec.type))
            raise("ValueError",
                  std::string("Unknown format code '") + spec.type + "' for object of type 'int'");
        return pad(out, format_integer(v.as_int(), spec), spec, '>');
    }
    if (v.is(Value::Kind::floating)) {
        if (spec.type && !std::strchr("eEfFgG%", spec.type))
            raise("ValueError", std::string("Unknown format code '") + spec.type +
                                    "' for object of type 'float'");
        return pad(out, format_double(v.as_float(), spec), spec, '>');
    }
    if (v.is(Value::Kind::string)) {
        if (spec.type && spec.type != 's')
            raise("ValueError",
                  std::string("Unknown format code '") + spec.type + "' for object of type 'str'");
        std::string body(v.as_string());
        if (spec.precision >= 0) {
            const auto offsets = code_point_offsets(body);
            if (static_cast<std::size_t>(spec.precision) + 1 < offsets.size())
                body.resize(offsets[static_cast<std::size_t>(spec.precision)]);
        }
        return pad(out, std::move(body), spec, '<');
    }
    raise("TypeError",
          std::string("unsupported format string passed to ") + type_name(v) + ".__format__");
}

}  // namespace

void printf_format_to(std::string& out, std::string_view format, const Value& args) {
    boost::container::small_vector<Value, 4> positional;
    const bool mapping = args.is(Value::Kind::dict);
    if (args.is(Value::Kind::tuple)) {
        for (std::size_t i = 0; i < args.size(); ++i)
            positional.push_back(args.at(i));
    } else {
        positional.push_back(args);
    }
    std::size_t next = 0;
    bool used_mapping = false;
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
            value =
                subscript(args, Value::string(std::string(format.substr(i + 1, close - i - 1))));
            have_value = used_mapping = true;
            i = close + 1;
        }
        Spec spec;
        spec.sign = 0;
        bool left = false, zero = false;
        for (; i < format.size() && std::strchr("-+ #0", format[i]); ++i) {
            switch (format[i]) {
                case '-':
                    left = true;
                    break;
                case '+':
                    spec.sign = '+';
                    break;
                case ' ':
                    if (spec.sign != '+') spec.sign = ' ';
                    break;
                case '#':
                    spec.alternate = true;
                    break;
                default:
                    zero = true;
                    break;
            }
        }
        // Bounded as str.format's are (parse_format_spec).
        while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) {
            spec.width = std::max(spec.width, 0) * 10 + (format[i++] - '0');
            if (spec.width > max_width) raise("ValueError", "width too big (over 65536)");
        }
        if (i < format.size() && format[i] == '.') {
            spec.precision = 0;
            for (++i; i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]));) {
                spec.precision = spec.precision * 10 + (format[i++] - '0');
                if (spec.precision > max_width)
                    raise("ValueError", "precision too big (over 65536)");
            }
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
            case 's':
                body = to_str(value);
                if (spec.precision >= 0) {
                    const auto o = code_point_offsets(body);
                    if (static_cast<std::size_t>(spec.precision) + 1 < o.size())
                        body.resize(o[static_cast<std::size_t>(spec.precision)]);
                }
                spec.fill = ' ';
                if (spec.align == '=') spec.align = '>';
                break;
            case 'r':
            case 'a':
                append_repr(body, value);
                spec.fill = ' ';
                if (spec.align == '=') spec.align = '>';
                break;
            case 'd':
            case 'i':
            case 'u':
            case 'x':
            case 'X':
            case 'o': {
                if (!value.is_number())
                    type_error(std::string("%") + conversion + " format: a " +
                               (conversion == 'd' || conversion == 'i' || conversion == 'u'
                                    ? "real number"
                                    : "integer") +
                               " is required, not " + type_name(value));
                std::int64_t n = value.as_int();
                if (value.is(Value::Kind::floating)) {
                    if (conversion != 'd' && conversion != 'i' && conversion != 'u')
                        type_error(std::string("%") + conversion +
                                   " format: an integer is required, not float");
                    if (!std::isfinite(value.as_float()))
                        raise("OverflowError", "cannot convert float infinity to integer");
                    n = static_cast<std::int64_t>(value.as_float());
                }
                Spec s = spec;
                s.type = (conversion == 'x' || conversion == 'X' || conversion == 'o') ? conversion
                                                                                       : 'd';
                body = format_integer(n, s);
                if (spec.precision > 0) {
                    const bool neg = body[0] == '-' || body[0] == '+' || body[0] == ' ';
                    const std::size_t digits = body.size() - (neg ? 1 : 0);
                    if (static_cast<std::size_t>(spec.precision) > digits)
                        body.insert(neg ? 1 : 0, static_cast<std::size_t>(spec.precision) - digits,
                                    '0');
                }
                break;
            }
            case 'f':
            case 'F':
            case 'e':
            case 'E':
            case 'g':
            case 'G': {
                if (!value.is_number())
                    type_error(std::string("must be real number, not ") + type_name(value));
                Spec s = spec;
                s.type = conversion;
                if (s.precision < 0) s.precision = 6;
                body = format_double(value.as_float(), s);
                break;
            }
            case 'c': {
                if (value.is(Value::Kind::string) && code_point_count(value.as_string()) == 1)
                    body = value.as_string();
                else if (value.is(Value::Kind::integer))
                    escape::append_utf8(body, static_cast<char32_t>(value.as_int()));
                else
                    type_error("%c requires int or char");
                break;
            }
            default:
                raise("ValueError",
                      std::string("unsupported format character '") + conversion + "'");
        }
        pad(out, std::move(body), spec, '>');
    }
    if (!mapping && next < positional.size())
        type_error("not all arguments converted during string formatting");
}

char* fixed_into(char* out, double value, int precision) noexcept {
    // The same digits as format_double() with type 'f' (see there), without a temporary string.
    if (!(std::fabs(value) < 1e15) || precision < 0 || precision > 3) return nullptr;
    static constexpr double double_scales[] = {1.0, 10.0, 100.0, 1000.0};
    static constexpr long double scales[] = {1.0L, 10.0L, 100.0L, 1000.0L};
    // |value| * 10^precision in double is within half an ulp of the exact product: when its
    // fraction is clearly away from one half, truncating or rounding it up gives the same integer
    // as rounding the exact product; near a tie the long double product (exact) decides.
    const double approximate = std::fabs(value) * double_scales[precision];
    auto magnitude = static_cast<std::uint64_t>(approximate);
    const double fraction = approximate - static_cast<double>(magnitude);
    const double margin = approximate * 0x1p-50 + 0x1p-60;
    if (fraction > 0.5 + margin)
        ++magnitude;
    else if (!(fraction < 0.5 - margin))
        magnitude = static_cast<std::uint64_t>(
            std::fabs(std::nearbyintl(static_cast<long double>(value) * scales[precision])));
    std::array<char, 24> digits;
    const auto r = std::to_chars(digits.data(), digits.data() + digits.size(), magnitude);
    const auto count = static_cast<std::size_t>(r.ptr - digits.data());
    const auto p = static_cast<std::size_t>(precision);
    if (std::signbit(value)) *out++ = '-';
    if (count <= p) {
        *out++ = '0';
        if (p) {
            *out++ = '.';
            for (std::size_t i = count; i < p; ++i)
                *out++ = '0';
            out = std::copy(digits.data(), r.ptr, out);
        }
    } else {
        out = std::copy(digits.data(), digits.data() + (count - p), out);
        if (p) {
            *out++ = '.';
            out = std::copy(digits.data() + (count - p), r.ptr, out);
        }
    }
    return out;
}

std::string printf_format(std::string_view format, const Value& args) {
    std::string out;
    printf_format_to(out, format, args);
    return out;
}

namespace {

Value lookup_field(const Value& root, std::string_view rest) {
    Value v = root;
    while (!rest.empty()) {
        if (rest[0] == '.') {
            const auto end = rest.find_first_of(".[", 1);
            v = attribute(v, rest.substr(1, end == std::string_view::npos ? rest.npos : end - 1));
            rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
        } else if (rest[0] == '[') {
            const auto close = rest.find(']');
            if (close == std::string_view::npos)
                raise("ValueError", "Missing ']' in format string");
            const auto key = rest.substr(1, close - 1);
            const bool numeric = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
                return c >= '0' && c <= '9';
            });
            v = subscript(
                v, numeric ? Value::integer(field_number(key)) : Value::string(std::string(key)));
            rest = rest.substr(close + 1);
        } else {
            raise("ValueError", "Only '.' or '[' may follow ']' in format field specifier");
        }
    }
    return v;
}

}  // namespace

std::string str_format(std::string_view format, Args args, Kwargs kwargs) {
    std::string out;
    std::size_t auto_index = 0;
    for (std::size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if (c == '}') {
            if (i + 1 < format.size() && format[i + 1] == '}')
                ++i;
            else
                raise("ValueError", "Single '}' encountered in format string");
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
        if (close == std::string_view::npos)
            raise("ValueError", "Single '{' encountered in format string");
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
        if (name.empty() ||
            std::all_of(name.begin(), name.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
            const std::size_t index =
                name.empty() ? auto_index++ : static_cast<std::size_t>(field_number(name));
            if (index >= args.size())
                raise("IndexError", "Replacement index " + std::to_string(index) +
                                        " out of range for positional args tuple");
            v = args[index];
        } else {
            const auto it = std::find_if(kwargs.begin(), kwargs.end(),
                                         [&](const Keyword& k) { return k.name == name; });
            if (it == kwargs.end()) {
                std::string key;
                escape::detail::append_python_repr(key, name);
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

}  // namespace typhoon::templates::detail
