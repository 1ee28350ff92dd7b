#include "python_format.hpp"

#include <typhoon/core/detail/strings.hpp>

#include <cstdio>

namespace typhoon::options::python {

namespace {

std::string two(long long n) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%02lld", n);
    return buffer;
}

struct TimedeltaParts {
    long long days, seconds,
        microseconds;  // Python's normal form: 0 <= seconds < 86400, 0 <= us < 1e6
};

TimedeltaParts split(std::chrono::microseconds value) {
    const long long total = value.count();
    constexpr long long per_day = 86'400'000'000LL;
    long long days = total / per_day, rest = total % per_day;
    if (rest < 0) {
        rest += per_day;
        --days;
    }
    return {days, rest / 1'000'000, rest % 1'000'000};
}

std::string timedelta_str(std::chrono::microseconds value) {
    const auto [days, seconds, micros] = split(value);
    std::string out;
    if (days != 0) out = std::to_string(days) + (days == 1 || days == -1 ? " day, " : " days, ");
    out += std::to_string(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60);
    if (micros != 0) {
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, ".%06lld", micros);
        out += buffer;
    }
    return out;
}

std::string timedelta_repr(std::chrono::microseconds value) {
    const auto [days, seconds, micros] = split(value);
    std::string fields;
    auto add = [&](const char* name, long long n) {
        if (n == 0) return;
        if (!fields.empty()) fields += ", ";
        fields += name + ("=" + std::to_string(n));
    };
    add("days", days);
    add("seconds", seconds);
    add("microseconds", micros);
    return "datetime.timedelta(" + (fields.empty() ? std::string("0") : fields) + ")";
}

struct DateTimeParts {
    int year;
    unsigned month, day;
    long long hour, minute, second, micros;
};

DateTimeParts split(DateTime value) {
    using namespace std::chrono;
    const auto day = floor<days>(value);
    const year_month_day date{day};
    const long long us = (value - day).count();
    return {int(date.year()),     unsigned(date.month()), unsigned(date.day()),
            us / 3'600'000'000LL, us / 60'000'000 % 60,   us / 1'000'000 % 60,
            us % 1'000'000};
}

std::string datetime_str(DateTime value) {
    const auto p = split(value);
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02lld:%02lld:%02lld", p.year, p.month,
                  p.day, p.hour, p.minute, p.second);
    std::string out = buffer;
    if (p.micros != 0) {
        std::snprintf(buffer, sizeof buffer, ".%06lld", p.micros);
        out += buffer;
    }
    return out;
}

std::string datetime_repr(DateTime value) {
    const auto p = split(value);
    std::string out = "datetime.datetime(" + std::to_string(p.year) + ", " +
                      std::to_string(p.month) + ", " + std::to_string(p.day) + ", " +
                      std::to_string(p.hour) + ", " + std::to_string(p.minute);
    if (p.second != 0 || p.micros != 0) out += ", " + std::to_string(p.second);
    if (p.micros != 0) out += ", " + std::to_string(p.micros);
    return out + ")";
}

}  // namespace

std::string str(const Scalar& value) {
    struct Visitor {
        std::string operator()(bool b) const { return b ? "True" : "False"; }
        std::string operator()(std::int64_t n) const { return std::to_string(n); }
        std::string operator()(double d) const { return escape::detail::python_float_repr(d); }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(std::chrono::microseconds d) const { return timedelta_str(d); }
        std::string operator()(DateTime t) const { return datetime_str(t); }
    };
    return std::visit(Visitor{}, value);
}

std::string repr_value(const Scalar& value) {
    if (const auto* s = std::get_if<std::string>(&value)) return escape::detail::python_repr(*s);
    if (const auto* d = std::get_if<std::chrono::microseconds>(&value)) return timedelta_repr(*d);
    if (const auto* t = std::get_if<DateTime>(&value)) return datetime_repr(*t);
    return str(value);
}

std::string str(const Value& value) {
    if (std::holds_alternative<std::monostate>(value)) return "None";
    if (const auto* scalar = std::get_if<Scalar>(&value)) return str(*scalar);
    std::string out = "[";
    for (const auto& item : std::get<std::vector<Scalar>>(value)) {
        if (out.size() > 1) out += ", ";
        out += repr_value(item);
    }
    return out + "]";
}

}  // namespace typhoon::options::python
