#ifndef TYPHOON_TEMPLATE_SRC_PYTHON_HPP
#define TYPHOON_TEMPLATE_SRC_PYTHON_HPP

// Helpers shared by value.cpp, format.cpp, builtins.cpp and template.cpp: UTF-8 over valid text,
// and integer arithmetic that raises Python's errors.

#include "value.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace typhoon::templates::detail {

// ---- UTF-8 over valid text (template sources and JSON strings are validated) ----

inline bool is_ascii(std::string_view s) noexcept {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

inline std::size_t code_point_length(unsigned char lead) noexcept {
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

inline char32_t decode_at(std::string_view s, std::size_t pos, std::size_t& length) noexcept {
    const auto lead = static_cast<unsigned char>(s[pos]);
    length = std::min(code_point_length(lead), s.size() - pos);
    if (length == 1) return lead;
    char32_t cp = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i)
        cp = (cp << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
    return cp;
}

/// Byte offsets of each code point, plus the end.
inline std::vector<std::size_t> code_point_offsets(std::string_view s) {
    std::vector<std::size_t> offsets;
    for (std::size_t pos = 0; pos < s.size();
         pos += code_point_length(static_cast<unsigned char>(s[pos])))
        offsets.push_back(pos);
    offsets.push_back(s.size());
    return offsets;
}

inline std::size_t code_point_count(std::string_view s) noexcept {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

[[noreturn]] inline void type_error(std::string message) {
    raise("TypeError", std::move(message));
}

[[noreturn]] inline void overflow() {
    raise("OverflowError", "integer result out of the 64-bit range Typhoon supports");
}
inline void checked(bool overflowed, std::int64_t) {
    if (overflowed) overflow();
}
inline std::int64_t checked_add(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) overflow();
    return r;
}
inline std::int64_t checked_sub(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r)) overflow();
    return r;
}
inline std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) overflow();
    return r;
}

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    if (b == 0) raise("ZeroDivisionError", "integer division or modulo by zero");
    if (a == std::numeric_limits<std::int64_t>::min() && b == -1) checked(true, 0);
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

inline std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
    if (b == 0) raise("ZeroDivisionError", "integer division or modulo by zero");
    if (b == -1) return 0;
    std::int64_t m = a % b;
    if (m != 0 && ((m < 0) != (b < 0))) m += b;
    return m;
}

// CPython's float_divmod.
inline void float_divmod(double vx, double wx, double& floordiv, double& mod) {
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

inline Value make_str(std::string s) {
    return Value::string(std::move(s));
}

inline std::string_view expect_str(const Value& v, const char* function) {
    if (!v.is(Value::Kind::string))
        type_error(std::string(function) + "() argument must be str, not " + type_name(v));
    return v.as_string();
}

/// a[i] on a string, counting code points.
Value string_index(std::string_view s, std::int64_t index);
std::int64_t to_index(const Value& v, const char* what);
/// A list, or a tuple when `like` is one.
inline Value sequence_result(const Value& like, List items) {
    return Value::list(std::move(items), like.is(Value::Kind::tuple));
}

}  // namespace typhoon::templates::detail

#endif
