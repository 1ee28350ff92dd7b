// Locale::format_date() and format_day(), and the Python `%` formatting their phrases go through.
// Tornado works on naive UTC datetimes with microsecond resolution; so do we, in integers.
#include <typhoon/locale/locale.hpp>

#include "locale_data.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/error.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace typhoon::locale {
namespace detail {
namespace {

std::size_t code_points(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text)
        count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return count;
}

/// The first `limit` code points of `text`.
std::string_view first_code_points(std::string_view text, std::size_t limit) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && seen++ == limit)
            return text.substr(0, i);
    }
    return text;
}

[[noreturn]] void format_error(std::string_view format, const std::string& why) {
    throw Error("cannot format translated text " + escape::detail::python_repr(format) + ": " +
                why);
}

}  // namespace

std::string percent_format(std::string_view format, std::span<const FormatArg> args) {
    std::string out;
    out.reserve(format.size() + 16);
    std::size_t i = 0;
    while (i < format.size()) {
        const std::size_t percent = format.find('%', i);
        if (percent == std::string_view::npos) {
            out.append(format.substr(i));
            break;
        }
        out.append(format.substr(i, percent - i));
        i = percent + 1;
        if (i >= format.size()) format_error(format, "incomplete format");
        if (format[i] == '%') {
            out += '%';
            ++i;
            continue;
        }
        if (format[i] != '(') format_error(format, "format requires a mapping key");
        std::size_t depth = 1, key_start = ++i;
        while (i < format.size() && depth > 0) {
            if (format[i] == '(') ++depth;
            if (format[i] == ')') --depth;
            ++i;
        }
        if (depth > 0) format_error(format, "incomplete format key");
        const std::string_view key = format.substr(key_start, i - 1 - key_start);
        bool left = false, plus = false, space = false, zero = false;
        for (; i < format.size(); ++i) {
            const char c = format[i];
            if (c == '-')
                left = true;
            else if (c == '+')
                plus = true;
            else if (c == ' ')
                space = true;
            else if (c == '0')
                zero = true;
            else if (c != '#')
                break;
        }
        // Python pads to any width that fits in memory; a translation file is outside input, so
        // a width or precision that would make one date take megabytes is refused instead.
        constexpr std::size_t max_width = 65536;
        std::size_t width = 0, precision = 0;
        bool has_precision = false;
        while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
            width = width * 10 + static_cast<std::size_t>(format[i++] - '0');
            if (width > max_width) format_error(format, "width too big (over 65536)");
        }
        if (i < format.size() && format[i] == '.') {
            has_precision = true;
            ++i;
            while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
                precision = precision * 10 + static_cast<std::size_t>(format[i++] - '0');
                if (precision > max_width) format_error(format, "precision too big (over 65536)");
            }
        }
        while (i < format.size() && (format[i] == 'h' || format[i] == 'l' || format[i] == 'L'))
            ++i;
        if (i >= format.size()) format_error(format, "incomplete format");
        const char type = format[i++];

        const FormatArg* arg = nullptr;
        for (const auto& candidate : args)
            if (candidate.key == key) arg = &candidate;
        if (!arg) format_error(format, "no value for key " + escape::detail::python_repr(key));

        std::string text;
        bool numeric = false;
        if (type == 's' || type == 'r' || type == 'a') {
            if (const auto* number = std::get_if<std::int64_t>(&arg->value))
                text = std::to_string(*number);
            else {
                const std::string_view s = std::get<std::string_view>(arg->value);
                text = type == 's' ? std::string(s) : escape::detail::python_repr(s);
            }
            if (has_precision) text = std::string(first_code_points(text, precision));
        } else if (type == 'd' || type == 'i' || type == 'u') {
            const auto* number = std::get_if<std::int64_t>(&arg->value);
            if (!number)
                format_error(format, "%" + std::string(1, type) +
                                         " format: a real number is required, not str");
            numeric = true;
            const bool negative = *number < 0;
            std::string digits = std::to_string(*number);
            if (negative) digits.erase(0, 1);
            if (has_precision && digits.size() < precision)
                digits.insert(0, precision - digits.size(), '0');
            const std::string sign = negative ? "-" : plus ? "+" : space ? " " : "";
            if (zero && !left && sign.size() + digits.size() < width)
                digits.insert(0, width - sign.size() - digits.size(), '0');
            text = sign + digits;
        } else {
            format_error(format, "unsupported format character " +
                                     escape::detail::python_repr(std::string(1, type)));
        }
        (void)numeric;
        const std::size_t length = code_points(text);
        if (length < width) {
            if (left)
                text.append(width - length, ' ');
            else
                text.insert(0, width - length, ' ');
        }
        out += text;
    }
    return out;
}

}  // namespace detail

namespace {

using std::chrono::system_clock;
constexpr std::int64_t micros_per_second = 1'000'000;
constexpr std::int64_t micros_per_day = 86'400 * micros_per_second;

std::int64_t to_micros(system_clock::time_point t) {
    return std::chrono::floor<std::chrono::microseconds>(t.time_since_epoch()).count();
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

/// A local calendar date and time, as Python's naive datetime sees it.
struct Civil {
    int year = 0;
    unsigned month = 0, day = 0;  // 1-based
    int hour = 0, minute = 0;
    unsigned weekday = 0;  // Monday = 0, like datetime.weekday()
};

Civil civil(std::int64_t micros) {
    const std::int64_t days = floor_div(micros, micros_per_day);
    const std::int64_t in_day = (micros - days * micros_per_day) / micros_per_second;
    const std::chrono::sys_days day{std::chrono::days{days}};
    const std::chrono::year_month_day ymd{day};
    Civil c;
    c.year = static_cast<int>(ymd.year());
    c.month = static_cast<unsigned>(ymd.month());
    c.day = static_cast<unsigned>(ymd.day());
    c.hour = static_cast<int>(in_day / 3600);
    c.minute = static_cast<int>(in_day / 60 % 60);
    c.weekday = (std::chrono::weekday{day}.c_encoding() + 6) % 7;
    if (c.year < 1 || c.year > 9999)
        throw Error("format_date: date value out of range (years 1 to 9999)");
    return c;
}

/// Python 3's round() of q + r/d: halves go to the even neighbour.
std::int64_t round_half_even(std::int64_t value, std::int64_t divisor) {
    const std::int64_t q = value / divisor, r = value % divisor;
    if (2 * r > divisor || (2 * r == divisor && q % 2 == 1)) return q + 1;
    return q;
}

}  // namespace

std::string Locale::format_date(system_clock::time_point when,
                                const FormatDateOptions& options) const {
    using detail::FormatArg;
    const auto tr = [this](auto... text) {
        return detail::translate_view(*data_, text...);
    };  // Tornado's `_`
    const std::int64_t now = to_micros(options.now.value_or(system_clock::now()));
    std::int64_t date = to_micros(when);
    bool full_format = options.full_format;
    if (date > now) {
        // timedelta.seconds ignores whole days: Tornado's skew allowance repeats every day.
        const std::int64_t ahead_seconds = (date - now) % micros_per_day / micros_per_second;
        if (options.relative && ahead_seconds < 60)
            date = now;
        else
            full_format = true;
    }
    const std::int64_t offset = options.gmt_offset.count() * 60 * micros_per_second;
    const std::int64_t difference = now - date;
    const std::int64_t days = floor_div(difference, micros_per_day);
    const std::int64_t seconds = (difference - days * micros_per_day) / micros_per_second;

    std::string_view format;
    bool have_format = false;
    if (!full_format) {
        if (options.relative && days == 0) {
            if (seconds < 50) {
                const FormatArg args[] = {{"seconds", seconds}};
                return detail::percent_format(
                    tr("1 second ago", "%(seconds)d seconds ago", seconds), args);
            }
            if (seconds < 50 * 60) {
                const std::int64_t minutes = round_half_even(seconds, 60);
                const FormatArg args[] = {{"minutes", minutes}};
                return detail::percent_format(
                    tr("1 minute ago", "%(minutes)d minutes ago", minutes), args);
            }
            const std::int64_t hours = round_half_even(seconds, 3600);
            const FormatArg args[] = {{"hours", hours}};
            return detail::percent_format(tr("1 hour ago", "%(hours)d hours ago", hours), args);
        }
        have_format = true;
        if (days == 0) {
            format = tr("%(time)s");
        } else if (days == 1 && options.relative &&
                   civil(date - offset).day == civil(now - offset - micros_per_day).day) {
            format = options.shorter ? tr("yesterday") : tr("yesterday at %(time)s");
        } else if (days < 5) {
            format = options.shorter ? tr("%(weekday)s") : tr("%(weekday)s at %(time)s");
        } else if (days < 334) {  // 11 months: "May 3" of last year would read as this year's
            format = options.shorter ? tr("%(month_name)s %(day)s")
                                     : tr("%(month_name)s %(day)s at %(time)s");
        } else {
            have_format = false;
        }
    }
    if (!have_format)
        format = options.shorter ? tr("%(month_name)s %(day)s, %(year)s")
                                 : tr("%(month_name)s %(day)s, %(year)s at %(time)s");

    const Civil local = civil(date - offset);
    const std::string& code = data_->code;
    const bool twelve_hour = code == "en" || code == "en_US" || code == "zh_CN";
    const int hour = twelve_hour ? (local.hour % 12 == 0 ? 12 : local.hour % 12) : local.hour;
    std::string time;
    if (code == "zh_CN")
        time = local.hour >= 12 ? "\xE4\xB8\x8B\xE5\x8D\x88"
                                : "\xE4\xB8\x8A\xE5\x8D\x88";  // 下午 / 上午
    time += std::to_string(hour);
    time += ':';
    time += static_cast<char>('0' + local.minute / 10);
    time += static_cast<char>('0' + local.minute % 10);
    if (twelve_hour && code != "zh_CN") time += local.hour >= 12 ? " pm" : " am";
    const std::string day = std::to_string(local.day), year = std::to_string(local.year);
    const FormatArg args[] = {
        {"month_name", std::string_view(data_->months[local.month - 1])},
        {"weekday", std::string_view(data_->weekdays[local.weekday])},
        {"day", std::string_view(day)},
        {"year", std::string_view(year)},
        {"time", std::string_view(time)},
    };
    return detail::percent_format(format, args);
}

std::string Locale::format_day(system_clock::time_point when,
                               const FormatDayOptions& options) const {
    const Civil local =
        civil(to_micros(when) - options.gmt_offset.count() * 60 * micros_per_second);
    const auto tr = [this](std::string_view text) { return detail::translate_view(*data_, text); };
    const std::string day = std::to_string(local.day);
    const detail::FormatArg args[] = {
        {"month_name", std::string_view(data_->months[local.month - 1])},
        {"weekday", std::string_view(data_->weekdays[local.weekday])},
        {"day", std::string_view(day)},
    };
    return detail::percent_format(
        options.dow ? tr("%(weekday)s, %(month_name)s %(day)s") : tr("%(month_name)s %(day)s"),
        args);
}

}  // namespace typhoon::locale
