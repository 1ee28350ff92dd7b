#include <typhoon/http/timestamp.hpp>

#include <cstdio>

namespace typhoon::httputil {

std::string format_timestamp(std::chrono::system_clock::time_point time) {
    // Civil date from days since the epoch, so that no time zone or locale can leak in.
    using namespace std::chrono;
    const auto seconds = floor<std::chrono::seconds>(time);
    const auto days = floor<std::chrono::days>(seconds);
    const year_month_day date{days};
    const hh_mm_ss clock{seconds - days};
    static constexpr const char* weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buffer[40];
    const int length = std::snprintf(
        buffer, sizeof buffer, "%s, %02u %s %04d %02d:%02d:%02d GMT",
        weekdays[weekday{days}.c_encoding()], static_cast<unsigned>(date.day()),
        months[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()),
        static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
        static_cast<int>(clock.seconds().count()));
    return std::string(buffer, static_cast<std::size_t>(length));
}

}  // namespace typhoon::httputil
