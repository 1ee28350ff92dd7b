#include "http_date.hpp"

#include <typhoon/http/timestamp.hpp>

#include <chrono>
#include <string>

namespace typhoon::web::detail {

std::string_view current_http_date() {
    thread_local std::chrono::system_clock::time_point formatted_second{};
    thread_local std::string formatted;
    const auto second = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (second != formatted_second || formatted.empty()) {
        formatted = httputil::format_timestamp(second);
        formatted_second = second;
    }
    return formatted;
}

std::string_view server_header_value() noexcept {
    return "TyphoonServer/" TYPHOON_VERSION_STRING;
}

}  // namespace typhoon::web::detail
