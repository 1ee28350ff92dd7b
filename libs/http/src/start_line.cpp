#include <typhoon/http/start_line.hpp>

#include <typhoon/http/http_input_error.hpp>

#include <charconv>

namespace typhoon::httputil {

namespace {

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

}  // namespace

RequestStartLine parse_request_start_line(std::string_view line) {
    const auto first = line.find(' ');
    const auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos)
        throw HTTPInputError("Malformed HTTP request line");
    // Tornado's split(" ") also takes "  HTTP/1.1": an empty method and target, which RFC 9112
    // §3 has no room for (a method is a token, a target at least "/" or "*").
    if (first == 0 || second == first + 1) throw HTTPInputError("Malformed HTTP request line");
    const std::string_view version = line.substr(second + 1);
    if (version.size() != 8 || !version.starts_with("HTTP/1.") || !is_digit(version.back()))
        throw HTTPInputError("Malformed HTTP version in HTTP Request-Line: '" +
                             std::string(version) + "'");
    return {std::string(line.substr(0, first)),
            std::string(line.substr(first + 1, second - first - 1)), std::string(version)};
}

ResponseStartLine parse_response_start_line(std::string_view line) {
    // Tornado's pattern, (HTTP/1.[0-9]) ([0-9]+) ([^\r]*) anchored at the start only, but with
    // its dot meaning a dot: RFC 9112 §2.3 has no "HTTP/1x1".
    const auto fail = [] { return HTTPInputError("Error parsing response start line"); };
    if (line.size() < 11 || !line.starts_with("HTTP/1.") || !is_digit(line[7]) || line[8] != ' ')
        throw fail();
    std::size_t digits_end = 9;
    while (digits_end < line.size() && is_digit(line[digits_end]))
        ++digits_end;
    if (digits_end == 9 || digits_end == line.size() || line[digits_end] != ' ') throw fail();
    int code = 0;
    if (std::from_chars(line.data() + 9, line.data() + digits_end, code).ec != std::errc())
        throw fail();
    std::string_view reason = line.substr(digits_end + 1);
    reason = reason.substr(0, reason.find('\r'));
    return {std::string(line.substr(0, 8)), code, std::string(reason)};
}

}  // namespace typhoon::httputil
