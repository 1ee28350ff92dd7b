#include <typhoon/http/http_client_error.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace typhoon::httpclient {

namespace {

// Python's http.client.responses, which Tornado's httputil.responses is (Python 3.11).
constexpr std::pair<int, const char*> reasons[] = {
    {100, "Continue"},
    {101, "Switching Protocols"},
    {102, "Processing"},
    {103, "Early Hints"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-Authoritative Information"},
    {204, "No Content"},
    {205, "Reset Content"},
    {206, "Partial Content"},
    {207, "Multi-Status"},
    {208, "Already Reported"},
    {226, "IM Used"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {305, "Use Proxy"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Requested Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {418, "I'm a Teapot"},
    {421, "Misdirected Request"},
    {422, "Unprocessable Entity"},
    {423, "Locked"},
    {424, "Failed Dependency"},
    {425, "Too Early"},
    {426, "Upgrade Required"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {451, "Unavailable For Legal Reasons"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
    {506, "Variant Also Negotiates"},
    {507, "Insufficient Storage"},
    {508, "Loop Detected"},
    {510, "Not Extended"},
    {511, "Network Authentication Required"},
};

std::string describe(int code, const std::string& message) {
    return "HTTP " + std::to_string(code) + ": " +
           (message.empty() ? reason_phrase(code) : message);
}

}  // namespace

std::string reason_phrase(int code) {
    const auto* found = std::lower_bound(std::begin(reasons), std::end(reasons), code,
                                         [](const auto& entry, int c) { return entry.first < c; });
    return found != std::end(reasons) && found->first == code ? found->second : "Unknown";
}

HTTPClientError::HTTPClientError(int code, std::string message,
                                 std::shared_ptr<const HTTPResponse> response)
    : HTTPClientError(code, std::move(message), std::move(response), std::string()) {}

HTTPClientError::HTTPClientError(int code, std::string message,
                                 std::shared_ptr<const HTTPResponse> response, std::string what)
    : Error(what.empty() ? describe(code, message) : what),
      code_(code),
      message_(message.empty() ? reason_phrase(code) : std::move(message)),
      response_(std::move(response)) {}

// Tornado prints these two without the "HTTP 599: " prefix; an empty message has already
// become "Unknown" by then, so that is what they print.
HTTPTimeoutError::HTTPTimeoutError(std::string message)
    : HTTPClientError(599, message, nullptr, message.empty() ? reason_phrase(599) : message) {}

HTTPStreamClosedError::HTTPStreamClosedError(std::string message)
    : HTTPClientError(599, message, nullptr, message.empty() ? reason_phrase(599) : message) {}

}  // namespace typhoon::httpclient
