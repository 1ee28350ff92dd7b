#include <typhoon/options/option_value.hpp>

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/utf8.hpp>

#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace typhoon::options {

namespace {

bool is_space(char32_t c) {
    return escape::is_unicode_space(c);
}
bool is_digit(char32_t c) {
    return c >= U'0' && c <= U'9';
}
bool is_word(char32_t c) {  // Python's \w, counting every non-ASCII non-space as a word character
    return is_digit(c) || c == U'_' ||
           (c < 0x80 ? std::isalpha(static_cast<int>(c)) != 0 : !is_space(c));
}

/// ASCII text of `text` with Python's "_" between digits removed, or nullopt if it has other
/// characters or misplaced underscores. `text` has been checked to hold only [0-9_] runs by the
/// caller's grammar; this validates the underscores.
std::optional<std::string> digits_without_underscores(std::u32string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        if (c == U'_') {
            if (i == 0 || i + 1 == text.size() || !is_digit(text[i - 1]) || !is_digit(text[i + 1]))
                return std::nullopt;
            continue;
        }
        if (c >= 0x80) return std::nullopt;
        out += static_cast<char>(c);
    }
    return out;
}

std::size_t digit_run(std::u32string_view text, std::size_t at) {  // [0-9_]* from `at`
    std::size_t end = at;
    while (end < text.size() && (is_digit(text[end]) || text[end] == U'_'))
        ++end;
    return end;
}

bool iequals(std::u32string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] >= 0x80 || std::tolower(static_cast<int>(a[i])) != b[i]) return false;
    return true;
}

// ---- timedelta ---------------------------------------------------------------------------------

constexpr long long kMaxMicros = 9'223'372'036'854'775'807LL;

/// One `timedelta(<unit>=number)`, computed as CPython's delta_new does: the integral part exactly,
/// the fraction in double precision, rounded half to even.
std::chrono::microseconds one_term(double number, long long factor) {
    double integral = 0;
    const double fraction = std::modf(number, &integral);
    if (!(std::fabs(integral) <= static_cast<double>(kMaxMicros) / static_cast<double>(factor)))
        throw ValueError("duration out of range");
    long long total = static_cast<long long>(integral) * factor;
    if (fraction != 0.0) {
        double scaled_integral = 0;
        const double leftover = std::modf(static_cast<double>(factor) * fraction, &scaled_integral);
        total += static_cast<long long>(scaled_integral);
        double whole = std::round(leftover);
        if (std::fabs(whole - leftover) == 0.5) {
            const long long odd = total & 1;
            whole = 2.0 * std::round((leftover + static_cast<double>(odd)) * 0.5) -
                    static_cast<double>(odd);
        }
        total += static_cast<long long>(whole);
    }
    return std::chrono::microseconds(total);
}

std::optional<long long> unit_factor(std::string_view unit) {
    struct Unit {
        std::string_view name;
        long long factor;
    };
    static constexpr std::array<Unit, 16> units{{
        {"h", 3'600'000'000LL},
        {"m", 60'000'000LL},
        {"min", 60'000'000LL},
        {"s", 1'000'000LL},
        {"sec", 1'000'000LL},
        {"ms", 1'000LL},
        {"us", 1LL},
        {"d", 86'400'000'000LL},
        {"w", 604'800'000'000LL},
        {"weeks", 604'800'000'000LL},
        {"days", 86'400'000'000LL},
        {"hours", 3'600'000'000LL},
        {"minutes", 60'000'000LL},
        {"seconds", 1'000'000LL},
        {"milliseconds", 1'000LL},
        {"microseconds", 1LL},
    }};
    for (const auto& u : units)
        if (u.name == unit) return u.factor;
    return std::nullopt;
}

// ---- datetime ----------------------------------------------------------------------------------

struct Fields {
    int year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

/// Python's _strptime regex for one directive: alternatives tried in order, each a fixed-width
/// pattern where 'd' is a digit, 'D' any of the characters after it up to ']' and others literal.
struct Directive {
    char letter;
    std::vector<std::string_view> alternatives;  // "3[01]" style mini-patterns
};

bool match_mini(std::string_view pattern, std::u32string_view text, std::size_t at,
                std::size_t& end) {
    std::size_t i = 0, pos = at;
    while (i < pattern.size()) {
        if (pos >= text.size()) return false;
        const char32_t c = text[pos];
        if (pattern[i] == '\\') {  // \d
            if (!is_digit(c)) return false;
            i += 2;
        } else if (pattern[i] == '[') {
            const std::size_t close = pattern.find(']', i);
            const char lo = pattern[i + 1], hi = pattern[i + 3];
            if (c < static_cast<char32_t>(lo) || c > static_cast<char32_t>(hi)) return false;
            i = close + 1;
        } else {
            if (c != static_cast<char32_t>(pattern[i])) return false;
            ++i;
        }
        ++pos;
    }
    end = pos;
    return true;
}

const std::vector<std::string_view>& alternatives(char letter) {
    static const std::vector<std::string_view> d{"3[0-1]", "[1-2]\\d", "0[1-9]", "[1-9]", " [1-9]"};
    static const std::vector<std::string_view> H{"2[0-3]", "[0-1]\\d", "\\d"};
    static const std::vector<std::string_view> M{"[0-5]\\d", "\\d"};
    static const std::vector<std::string_view> S{"6[0-1]", "[0-5]\\d", "\\d"};
    static const std::vector<std::string_view> Y{"\\d\\d\\d\\d"};
    static const std::vector<std::string_view> m{"1[0-2]", "0[1-9]", "[1-9]"};
    static const std::vector<std::string_view> a{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    static const std::vector<std::string_view> b{"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
    switch (letter) {
        case 'd':
            return d;
        case 'H':
            return H;
        case 'M':
            return M;
        case 'S':
            return S;
        case 'Y':
            return Y;
        case 'm':
            return m;
        case 'a':
            return a;
        default:
            return b;
    }
}

int number(std::u32string_view text) {
    int n = 0;
    for (char32_t c : text)
        if (is_digit(c)) n = n * 10 + static_cast<int>(c - U'0');
    return n;
}

/// Depth-first search in the order Python's regex engine backtracks; returns the end of the first
/// match of the whole format (which need not reach the end of the text: the caller checks).
std::optional<std::size_t> match_format(std::string_view format, std::size_t fi,
                                        std::u32string_view text, std::size_t pos, Fields& fields) {
    if (fi == format.size()) return pos;
    const char f = format[fi];
    if (f == ' ') {  // a run of format whitespace is \s+, greedy
        std::size_t next = fi;
        while (next < format.size() && format[next] == ' ')
            ++next;
        std::size_t end = pos;
        while (end < text.size() && is_space(text[end]))
            ++end;
        for (; end > pos; --end)
            if (auto r = match_format(format, next, text, end, fields)) return r;
        return std::nullopt;
    }
    if (f != '%') {
        if (pos < text.size() && text[pos] < 0x80 &&
            std::tolower(static_cast<int>(text[pos])) ==
                std::tolower(static_cast<unsigned char>(f)))
            return match_format(format, fi + 1, text, pos + 1, fields);
        return std::nullopt;
    }
    const char letter = format[fi + 1];
    const auto& alts = alternatives(letter);
    for (std::size_t index = 0; index < alts.size(); ++index) {
        std::size_t end = 0;
        if (letter == 'a' || letter == 'b') {
            if (pos + 3 > text.size() || !iequals(text.substr(pos, 3), alts[index])) continue;
            end = pos + 3;
        } else if (!match_mini(alts[index], text, pos, end)) {
            continue;
        }
        const Fields saved = fields;
        const int n = number(text.substr(pos, end - pos));
        switch (letter) {
            case 'd':
                fields.day = n;
                break;
            case 'H':
                fields.hour = n;
                break;
            case 'M':
                fields.minute = n;
                break;
            case 'S':
                fields.second = n;
                break;
            case 'Y':
                fields.year = n;
                break;
            case 'm':
                fields.month = n;
                break;
            case 'b':
                fields.month = static_cast<int>(index) + 1;
                break;
            default:
                break;  // %a: Python ignores the weekday once the date is known
        }
        if (auto r = match_format(format, fi + 2, text, end, fields)) return r;
        fields = saved;
    }
    return std::nullopt;
}

}  // namespace

std::string_view type_name(Kind kind) noexcept {
    switch (kind) {
        case Kind::string:
            return "str";
        case Kind::integer:
            return "int";
        case Kind::floating:
            return "float";
        case Kind::boolean:
            return "bool";
        case Kind::duration:
            return "timedelta";
        case Kind::datetime:
            return "datetime";
    }
    return "str";
}

std::int64_t parse_int(std::string_view text) {
    const std::u32string decoded = escape::utf8_decode(escape::detail::strip_unicode(text));
    std::u32string_view s = decoded;
    bool negative = false;
    if (!s.empty() && (s.front() == U'+' || s.front() == U'-')) {
        negative = s.front() == U'-';
        s.remove_prefix(1);
    }
    if (s.empty() || digit_run(s, 0) != s.size()) throw ValueError("expected an integer");
    const auto digits = digits_without_underscores(s);
    if (!digits) throw ValueError("expected an integer");
    unsigned long long magnitude = 0;
    for (char c : *digits) {
        if (magnitude > (9'223'372'036'854'775'808ULL - static_cast<unsigned>(c - '0')) / 10)
            throw ValueError("integer out of range");
        magnitude = magnitude * 10 + static_cast<unsigned>(c - '0');
    }
    if (magnitude > 9'223'372'036'854'775'807ULL + (negative ? 1 : 0))
        throw ValueError("integer out of range");
    return negative ? static_cast<std::int64_t>(0ULL - magnitude)
                    : static_cast<std::int64_t>(magnitude);
}

double parse_float(std::string_view text) {
    const std::u32string decoded = escape::utf8_decode(escape::detail::strip_unicode(text));
    std::u32string_view s = decoded;
    std::string ascii;
    if (!s.empty() && (s.front() == U'+' || s.front() == U'-')) {
        ascii += static_cast<char>(s.front());
        s.remove_prefix(1);
    }
    for (std::string_view special : {"inf", "infinity", "nan"})
        if (iequals(s, special))
            return std::strtod((ascii + std::string(special)).c_str(), nullptr);
    // digitpart ["." [digitpart]] | "." digitpart, then an optional exponent
    std::size_t i = digit_run(s, 0);
    const bool has_integral = i > 0;
    auto integral = digits_without_underscores(s.substr(0, i));
    if (has_integral && !integral) throw ValueError("expected a number");
    ascii += has_integral ? *integral : std::string();
    bool has_fraction = false;
    if (i < s.size() && s[i] == U'.') {
        const std::size_t end = digit_run(s, i + 1);
        if (end > i + 1) {
            auto fraction = digits_without_underscores(s.substr(i + 1, end - i - 1));
            if (!fraction) throw ValueError("expected a number");
            ascii += "." + *fraction;
            has_fraction = true;
        } else {
            ascii += ".";
        }
        i = end;
    }
    if (!has_integral && !has_fraction) throw ValueError("expected a number");
    if (i < s.size() && (s[i] == U'e' || s[i] == U'E')) {
        ascii += 'e';
        ++i;
        if (i < s.size() && (s[i] == U'+' || s[i] == U'-')) ascii += static_cast<char>(s[i++]);
        const std::size_t end = digit_run(s, i);
        auto exponent = digits_without_underscores(s.substr(i, end - i));
        if (end == i || !exponent) throw ValueError("expected a number");
        ascii += *exponent;
        i = end;
    }
    if (i != s.size()) throw ValueError("expected a number");
    return std::strtod(ascii.c_str(), nullptr);  // the C locale: Typhoon never calls setlocale
}

bool parse_bool(std::string_view text) noexcept {
    std::string lower;
    for (char c : text)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower != "false" && lower != "0" && lower != "f";
}

std::chrono::microseconds parse_timedelta(std::string_view text) {
    const std::u32string s = escape::utf8_decode(text);
    std::chrono::microseconds sum{0};
    std::size_t pos = 0;
    while (pos < s.size()) {
        // \s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(\w*)\s*
        while (pos < s.size() && is_space(s[pos]))
            ++pos;
        std::string num;
        std::size_t i = pos;
        if (i < s.size() && (s[i] == U'+' || s[i] == U'-')) num += static_cast<char>(s[i++]);
        std::size_t digits = 0;
        while (i < s.size() && is_digit(s[i]))
            num += static_cast<char>(s[i++]), ++digits;
        if (i < s.size() && s[i] == U'.' &&
            (digits > 0 || (i + 1 < s.size() && is_digit(s[i + 1])))) {
            num += static_cast<char>(s[i++]);
            while (i < s.size() && is_digit(s[i]))
                num += static_cast<char>(s[i++]), ++digits;
        }
        if (digits == 0) throw ValueError("expected a duration such as 45s, 1h 30m or 2d");
        if (i < s.size() && (s[i] == U'e' || s[i] == U'E')) {
            std::size_t j = i + 1;
            std::string exponent = "e";
            if (j < s.size() && (s[j] == U'+' || s[j] == U'-'))
                exponent += static_cast<char>(s[j++]);
            const std::size_t first = j;
            while (j < s.size() && is_digit(s[j]))
                exponent += static_cast<char>(s[j++]);
            if (j > first) {
                num += exponent;
                i = j;
            }
        }
        while (i < s.size() && is_space(s[i]))
            ++i;
        std::u32string_view unit_text(s.data() + i, 0);
        const std::size_t unit_start = i;
        while (i < s.size() && is_word(s[i]))
            ++i;
        unit_text = std::u32string_view(s).substr(unit_start, i - unit_start);
        while (i < s.size() && is_space(s[i]))
            ++i;
        const std::string unit =
            unit_text.empty() ? std::string("seconds") : escape::utf8_encode(unit_text);
        const auto factor = unit_factor(unit);
        if (!factor) throw ValueError("unknown unit '" + unit + "'");
        const auto term = one_term(std::strtod(num.c_str(), nullptr), *factor);
        if ((term.count() > 0 && sum.count() > kMaxMicros - term.count()) ||
            (term.count() < 0 && sum.count() < -kMaxMicros - term.count()))
            throw ValueError("duration out of range");
        sum += term;
        pos = i;
    }
    return sum;
}

DateTime parse_datetime(std::string_view text) {
    static constexpr std::array<std::string_view, 10> formats{
        "%a %b %d %H:%M:%S %Y",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y%m%d %H:%M:%S",
        "%Y%m%d %H:%M",
        "%Y-%m-%d",
        "%Y%m%d",
        "%H:%M:%S",
        "%H:%M",
    };
    const std::u32string s = escape::utf8_decode(text);
    for (std::string_view format : formats) {
        Fields fields;
        const auto end = match_format(format, 0, s, 0, fields);
        if (!end || *end != s.size()) continue;  // Python: "unconverted data remains"
        using namespace std::chrono;
        const year_month_day date{year{fields.year}, month{static_cast<unsigned>(fields.month)},
                                  day{static_cast<unsigned>(fields.day)}};
        if (fields.year < 1 || !date.ok() || fields.second > 59) continue;  // datetime() refuses it
        return DateTime(local_days(date).time_since_epoch() + hours{fields.hour} +
                        minutes{fields.minute} + seconds{fields.second});
    }
    throw ValueError("unrecognized date/time format");
}

}  // namespace typhoon::options
