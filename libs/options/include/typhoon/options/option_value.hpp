#ifndef TYPHOON_OPTIONS_OPTION_VALUE_HPP
#define TYPHOON_OPTIONS_OPTION_VALUE_HPP

#include <typhoon/options/error.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <limits>
#include <ratio>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

/** The C++ types an option may have, and the few conversions Tornado performs on option text
    (tornado.options._Option.parse): Python's int() and float(), its boolean rule, timedelta
    strings such as "45s" or "1h 30m", and datetimes in Tornado's ten strptime formats. */
namespace typhoon::options {

/// A naive date and time, as Python's datetime without tzinfo.
using DateTime = std::chrono::local_time<std::chrono::microseconds>;

/// One value as the parser keeps it, whatever C++ type the option was defined with.
using Scalar =
    std::variant<bool, std::int64_t, double, std::string, std::chrono::microseconds, DateTime>;
/// An option's value: None (std::monostate), one Scalar, or the list of a `multiple` option.
using Value = std::variant<std::monostate, Scalar, std::vector<Scalar>>;

/// The Python type an option stands for; its name appears in messages ("int", "timedelta").
enum class Kind { string, integer, floating, boolean, duration, datetime };

/// What the parser must know of an option's C++ type to accept only values that fit it.
struct ValueSpec {
    Kind kind = Kind::string;  ///< the Python type of the value (or of each, when `multiple`)
    bool multiple = false;     ///< a std::vector<T> option: Tornado's `multiple=True`
    ///@{
    /// Integers: the range of the C++ type; a value outside it is refused.
    std::int64_t min = 0;
    std::int64_t max = 0;
    ///@}
    ///@{
    /// Durations and datetimes: one tick of the C++ type is tick_num/tick_den µs.
    std::int64_t tick_num = 1;
    std::int64_t tick_den = 1;
    ///@}
    bool exact_ticks = true;  ///< false for a floating-point representation
};

/// Python's name of the type: "str", "int", "float", "bool", "timedelta", "datetime".
std::string_view type_name(Kind kind) noexcept;

/// Thrown by the parse_* functions below with the reason only; the parser adds option and value.
class ValueError : public Error {
public:
    using Error::Error;
};

/// Python's int(text): surrounding whitespace, a sign, digits with single "_" between them.
/// @throws ValueError when that is not what `text` holds or the number passes 64 bits.
std::int64_t parse_int(std::string_view text);
/// Python's float(text): also "inf", "nan", exponents and "_" between digits.
double parse_float(std::string_view text);
/// Tornado's rule: false for "false", "0" and "f" in any case, true for everything else.
bool parse_bool(std::string_view text) noexcept;
/// Tornado's timedelta syntax: a sum of "<number> <unit>" terms ("1h 30m", "2d", "1.5", "45 sec");
/// units h, m, min, s, sec, ms, us, d, w or timedelta's keywords (hours, ...); none means seconds.
/// Fractions round to the microsecond as Python does. "" is zero, as in Tornado.
/// @throws ValueError for an unknown unit (note "1h30m" is one: the unit would be "h30m").
std::chrono::microseconds parse_timedelta(std::string_view text);
/// The first of Tornado's formats that matches ("%Y-%m-%d %H:%M:%S", "%Y%m%d", "%H:%M", ...),
/// matched as Python's strptime matches them; a missing date is 1900-01-01.
/// @throws ValueError "unrecognized date/time format" when none does.
DateTime parse_datetime(std::string_view text);

namespace detail {
template <class T>
struct is_vector : std::false_type {};
template <class U, class A>
struct is_vector<std::vector<U, A>> : std::true_type {};
template <class T>
struct is_duration : std::false_type {};
template <class R, class P>
struct is_duration<std::chrono::duration<R, P>> : std::true_type {};

/// The duration type of a duration (itself) or of a time point (its `duration`). Spelled as a
/// trait because `T::duration` names the injected class when T is a duration.
template <class T>
struct duration_of {
    using type = T;
};
template <class C, class D>
struct duration_of<std::chrono::time_point<C, D>> {
    using type = D;
};
template <class T>
struct is_datetime : std::false_type {};
template <class D>
struct is_datetime<std::chrono::sys_time<D>> : std::true_type {};
template <class D>
struct is_datetime<std::chrono::local_time<D>> : std::true_type {};

template <class T>
concept scalar_option =
    std::same_as<T, std::string> || std::same_as<T, bool> || std::floating_point<T> ||
    (std::integral<T> && !std::same_as<T, char> && !std::same_as<T, char8_t> &&
     !std::same_as<T, char16_t> && !std::same_as<T, char32_t> && !std::same_as<T, wchar_t>) ||
    is_duration<T>::value || is_datetime<T>::value;
}  // namespace detail

/** The types `define<T>` accepts: std::string, bool, integers, floating point, any
    std::chrono::duration, std::chrono::sys_time / local_time, and std::vector of any of these
    (a `multiple` option). */
template <class T>
concept option_type = detail::scalar_option<T> || (detail::is_vector<T>::value &&
                                                   detail::scalar_option<typename T::value_type>);

namespace detail {
template <class T>
ValueSpec scalar_spec() {
    ValueSpec spec;
    if constexpr (std::same_as<T, std::string>) {
        spec.kind = Kind::string;
    } else if constexpr (std::same_as<T, bool>) {
        spec.kind = Kind::boolean;
    } else if constexpr (std::floating_point<T>) {
        spec.kind = Kind::floating;
    } else if constexpr (std::integral<T>) {
        spec.kind = Kind::integer;
        using limits = std::numeric_limits<std::int64_t>;
        spec.min =
            std::is_signed_v<T> ? static_cast<std::int64_t>(std::numeric_limits<T>::min()) : 0;
        spec.max = std::numeric_limits<T>::max() >
                           static_cast<std::make_unsigned_t<std::int64_t>>(limits::max())
                       ? limits::max()
                       : static_cast<std::int64_t>(std::numeric_limits<T>::max());
    } else {
        using duration = typename duration_of<T>::type;
        using tick = std::ratio_divide<typename duration::period, std::micro>;
        spec.kind = is_duration<T>::value ? Kind::duration : Kind::datetime;
        spec.tick_num = tick::num;
        spec.tick_den = tick::den;
        spec.exact_ticks = !std::is_floating_point_v<typename duration::rep>;
    }
    return spec;
}

template <class T>
Scalar to_scalar(const T& value) {
    if constexpr (std::same_as<T, std::string> || std::same_as<T, bool>) {
        return value;
    } else if constexpr (std::floating_point<T>) {
        return static_cast<double>(value);
    } else if constexpr (std::integral<T>) {
        return static_cast<std::int64_t>(value);
    } else if constexpr (is_duration<T>::value) {
        return std::chrono::duration_cast<std::chrono::microseconds>(value);
    } else {
        return DateTime(
            std::chrono::duration_cast<std::chrono::microseconds>(value.time_since_epoch()));
    }
}

template <class T>
T from_scalar(const Scalar& scalar) {
    if constexpr (std::same_as<T, std::string> || std::same_as<T, bool>) {
        return std::get<T>(scalar);
    } else if constexpr (std::floating_point<T>) {
        return static_cast<T>(std::get<double>(scalar));
    } else if constexpr (std::integral<T>) {
        return static_cast<T>(std::get<std::int64_t>(scalar));  // the parser checked the range
    } else if constexpr (is_duration<T>::value) {
        return std::chrono::duration_cast<T>(std::get<std::chrono::microseconds>(scalar));
    } else {
        return T(std::chrono::duration_cast<typename T::duration>(
            std::get<DateTime>(scalar).time_since_epoch()));
    }
}
}  // namespace detail

/// The ValueSpec of a C++ option type.
template <option_type T>
ValueSpec spec_of() {
    if constexpr (detail::is_vector<T>::value) {
        ValueSpec spec = detail::scalar_spec<typename T::value_type>();
        spec.multiple = true;
        return spec;
    } else {
        return detail::scalar_spec<T>();
    }
}

/// `value` as the parser stores it.
template <option_type T>
Value to_value(const T& value) {
    if constexpr (detail::is_vector<T>::value) {
        std::vector<Scalar> list;
        list.reserve(value.size());
        for (const auto& item : value)
            list.push_back(detail::to_scalar<typename T::value_type>(item));
        return list;
    } else {
        return detail::to_scalar(value);
    }
}

/// A stored value as `T`. Precondition: `value` is not None and was checked against spec_of<T>().
template <option_type T>
T from_value(const Value& value) {
    if constexpr (detail::is_vector<T>::value) {
        T list;
        for (const auto& item : std::get<std::vector<Scalar>>(value))
            list.push_back(detail::from_scalar<typename T::value_type>(item));
        return list;
    } else {
        return detail::from_scalar<T>(std::get<Scalar>(value));
    }
}

}  // namespace typhoon::options

#endif
