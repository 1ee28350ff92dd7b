#include <typhoon/core/json.hpp>

#include <typhoon/core/detail/strings.hpp>

#include "utf8_decoder.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

namespace typhoon::escape {

namespace {

void append_hex4(std::string& out, unsigned value) {
    static constexpr char hex[] = "0123456789abcdef";  // Python writes \u00e9, lowercase
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4)
        out.push_back(hex[(value >> shift) & 0xF]);
}

template <class Integer>
void append_number(std::string& out, Integer value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
}

void encode_string(std::string& out, std::string_view text) {
    out.push_back('"');
    for (std::size_t pos = 0; pos < text.size();) {
        // Printable ASCII other than '"', '\\' and '/' is copied as it is, a run at a time.
        std::size_t run = pos;
        while (run < text.size()) {
            const auto ch = static_cast<unsigned char>(text[run]);
            if (ch < 0x20 || ch >= 0x7F || ch == '"' || ch == '\\' || ch == '/') break;
            ++run;
        }
        out.append(text.data() + pos, run - pos);
        pos = run;
        if (pos == text.size()) break;
        const auto c = static_cast<unsigned char>(text[pos]);
        if (c >= 0x20 && c < 0x7F) {
            // "</" becomes "<\/" so the text cannot close a <script> element (Tornado's rule).
            if (c == '"')
                out += "\\\"";
            else if (c == '\\')
                out += "\\\\";
            else if (out.back() == '<')
                out += "\\/";
            else
                out.push_back('/');
            ++pos;
            continue;
        }
        switch (c) {
            case '\b':
                out += "\\b";
                ++pos;
                continue;
            case '\f':
                out += "\\f";
                ++pos;
                continue;
            case '\n':
                out += "\\n";
                ++pos;
                continue;
            case '\r':
                out += "\\r";
                ++pos;
                continue;
            case '\t':
                out += "\\t";
                ++pos;
                continue;
            default:
                break;
        }
        const auto decoded = detail::decode_code_point(text, pos);
        pos += decoded.length;
        const char32_t cp = decoded.code_point;
        if (cp < 0x10000) {
            append_hex4(out, static_cast<unsigned>(cp));
        } else {  // ensure_ascii writes astral characters as a UTF-16 surrogate pair
            const char32_t v = cp - 0x10000;
            append_hex4(out, static_cast<unsigned>(0xD800 + (v >> 10)));
            append_hex4(out, static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
        }
    }
    out.push_back('"');
}

/// Python's float repr: the shortest digits that round-trip, written positionally when the
/// decimal exponent is in [-4, 16) and in scientific notation otherwise ("1e-05", "1.5e+16").
void encode_double(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value < 0 ? "-Infinity" : "Infinity";
        return;
    }
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                      std::chars_format::scientific);
    std::string_view sci(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
    const bool negative = sci.front() == '-';
    if (negative) sci.remove_prefix(1);
    const std::size_t e = sci.find('e');
    int exponent = 0;
    const std::string_view exponent_text = sci.substr(e + (sci[e + 1] == '+' ? 2 : 1));
    std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
    // The significant digits without the point: at most 17 for a double.
    char digit_buffer[32];
    std::size_t digit_count = 0;
    for (char c : sci.substr(0, e))
        if (c != '.') digit_buffer[digit_count++] = c;
    const std::string_view digits(digit_buffer, digit_count);

    if (negative) out.push_back('-');
    if (exponent < -4 || exponent >= 16) {
        out.push_back(digits[0]);
        if (digits.size() > 1) {
            out.push_back('.');
            out.append(digits.substr(1));
        }
        out.push_back('e');
        out.push_back(exponent < 0 ? '-' : '+');
        const int magnitude = std::abs(exponent);
        if (magnitude < 10) out.push_back('0');
        append_number(out, magnitude);
    } else if (exponent < 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-exponent - 1), '0');
        out += digits;
    } else {
        const auto integer_digits = static_cast<std::size_t>(exponent) + 1;
        if (digits.size() <= integer_digits) {
            out += digits;
            out.append(integer_digits - digits.size(), '0');
            out += ".0";
        } else {
            out.append(digits.substr(0, integer_digits));
            out.push_back('.');
            out.append(digits.substr(integer_digits));
        }
    }
}

void encode_object(std::string& out, const boost::json::object& object);

void encode(std::string& out, const boost::json::value& value) {
    switch (value.kind()) {
        case boost::json::kind::null:
            out += "null";
            break;
        case boost::json::kind::bool_:
            out += value.get_bool() ? "true" : "false";
            break;
        case boost::json::kind::int64:
            append_number(out, value.get_int64());
            break;
        case boost::json::kind::uint64:
            append_number(out, value.get_uint64());
            break;
        case boost::json::kind::double_:
            encode_double(out, value.get_double());
            break;
        case boost::json::kind::string:
            encode_string(out, value.get_string());
            break;
        case boost::json::kind::array: {
            out.push_back('[');
            bool first = true;
            for (const auto& element : value.get_array()) {
                if (!first) out += ", ";
                first = false;
                encode(out, element);
            }
            out.push_back(']');
            break;
        }
        case boost::json::kind::object:
            encode_object(out, value.get_object());
            break;
    }
}

void encode_object(std::string& out, const boost::json::object& object) {
    out.push_back('{');
    bool first = true;
    for (const auto& member : object) {
        if (!first) out += ", ";
        first = false;
        encode_string(out, member.key());
        out += ": ";
        encode(out, member.value());
    }
    out.push_back('}');
}

std::string decode_error_message(std::string_view reason, std::size_t position, std::size_t line,
                                 std::size_t column) {
    return std::string(reason) + ": line " + std::to_string(line) + " column " +
           std::to_string(column) + " (char " + std::to_string(position) + ")";
}

}  // namespace

std::string json_encode(const boost::json::value& value) {
    std::string out;
    encode(out, value);
    return out;
}

std::string detail::json_encode_object(const boost::json::object& object) {
    std::string out;
    encode_object(out, object);
    return out;
}

std::string detail::python_float_repr(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
    std::string out;
    encode_double(out, value);
    return out;
}

JSONDecodeError::JSONDecodeError(std::string_view reason, std::size_t position, std::size_t line,
                                 std::size_t column)
    : Error(decode_error_message(reason, position, line, column)),
      position_(position),
      line_(line),
      column_(column) {}

namespace {

namespace bj = boost::json;
using bj::string_view;
using boost::system::error_code;

// Boost.JSON 1.81's parser is not correctly rounded for every number (1.83's
// parse_options::numbers is): "8.88888888888889e+85" read as 8.888888888888891e+85, so
// json_encode(json_decode(s)) could change s where Python's json.loads reads it exactly. This
// handler builds the value as Boost's own does, but reads each number that is no integer again
// from its text with std::from_chars, which rounds correctly.
struct CorrectlyRoundedHandler {
    static constexpr std::size_t max_object_size = bj::object::max_size();
    static constexpr std::size_t max_array_size = bj::array::max_size();
    static constexpr std::size_t max_key_size = bj::string::max_size();
    static constexpr std::size_t max_string_size = bj::string::max_size();

    bj::value_stack stack;
    std::string number;  // the text of a number the input split across parts

    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }
    bool on_object_begin(error_code&) { return true; }
    bool on_object_end(std::size_t n, error_code&) {
        stack.push_object(n);
        return true;
    }
    bool on_array_begin(error_code&) { return true; }
    bool on_array_end(std::size_t n, error_code&) {
        stack.push_array(n);
        return true;
    }
    bool on_key_part(string_view s, std::size_t, error_code&) {
        stack.push_chars(s);
        return true;
    }
    bool on_key(string_view s, std::size_t, error_code&) {
        stack.push_key(s);
        return true;
    }
    bool on_string_part(string_view s, std::size_t, error_code&) {
        stack.push_chars(s);
        return true;
    }
    bool on_string(string_view s, std::size_t, error_code&) {
        stack.push_string(s);
        return true;
    }
    bool on_number_part(string_view s, error_code&) {
        number.append(s.data(), s.size());
        return true;
    }
    bool on_int64(std::int64_t i, string_view, error_code&) {
        number.clear();
        stack.push_int64(i);
        return true;
    }
    bool on_uint64(std::uint64_t u, string_view, error_code&) {
        number.clear();
        stack.push_uint64(u);
        return true;
    }
    bool on_double(double d, string_view s, error_code&) {
        number.append(s.data(), s.size());
        double exact = d;
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), exact);
        // Out of range (1e400) stays what Boost made of it: infinity, or zero.
        if (ec != std::errc() || end != number.data() + number.size()) exact = d;
        number.clear();
        stack.push_double(exact);
        return true;
    }
    bool on_bool(bool b, error_code&) {
        stack.push_bool(b);
        return true;
    }
    bool on_null(error_code&) {
        stack.push_null();
        return true;
    }
    bool on_comment_part(string_view, error_code&) { return true; }
    bool on_comment(string_view, error_code&) { return true; }
};

}  // namespace

boost::json::value json_decode(std::string_view text) {
    boost::json::parse_options options;
    options.max_depth = 256;
    boost::json::basic_parser<CorrectlyRoundedHandler> parser(options);
    parser.handler().stack.reset();
    boost::system::error_code ec;
    std::size_t consumed = parser.write_some(true, text.data(), text.size(), ec);
    if (!ec && consumed == text.size()) parser.write_some(false, nullptr, 0, ec);
    if (!ec && consumed < text.size()) ec = boost::json::error::extra_data;
    if (ec) {
        const std::size_t position = std::min(consumed, text.size());
        std::size_t line = 1, line_start = 0;
        for (std::size_t i = 0; i < position; ++i) {
            if (text[i] == '\n') {
                ++line;
                line_start = i + 1;
            }
        }
        throw JSONDecodeError(ec.message(), position, line, position - line_start + 1);
    }
    return parser.handler().stack.release();
}

}  // namespace typhoon::escape
