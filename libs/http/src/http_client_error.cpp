#include <typhoon/http/http_client_error.hpp>

#include <string>
#include <utility>

namespace typhoon::httpclient {

namespace {

std::string describe(int code, const std::string& message) {
    return "HTTP " + std::to_string(code) + ": " +
           (message.empty() ? std::string(reason_phrase(code)) : message);
}

}  // namespace

HTTPClientError::HTTPClientError(int code, std::string message,
                                 std::shared_ptr<const HTTPResponse> response)
    : HTTPClientError(code, std::move(message), std::move(response), std::string()) {}

HTTPClientError::HTTPClientError(int code, std::string message,
                                 std::shared_ptr<const HTTPResponse> response, std::string what)
    : Error(what.empty() ? describe(code, message) : what),
      code_(code),
      message_(message.empty() ? std::string(reason_phrase(code)) : std::move(message)),
      response_(std::move(response)) {}

// Tornado prints these two without the "HTTP 599: " prefix; an empty message has already
// become "Unknown" by then, so that is what they print.
HTTPTimeoutError::HTTPTimeoutError(std::string message)
    : HTTPClientError(599, message, nullptr,
                      message.empty() ? std::string(reason_phrase(599)) : message) {}

HTTPStreamClosedError::HTTPStreamClosedError(std::string message)
    : HTTPClientError(599, message, nullptr,
                      message.empty() ? std::string(reason_phrase(599)) : message) {}

}  // namespace typhoon::httpclient
