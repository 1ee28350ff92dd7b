#include <typhoon/http/http_client_error.hpp>

#include <boost/beast/http/status.hpp>

namespace typhoon::httpclient {

std::string reason_phrase(int code) {
    if (code < 100 || code > 999) return "Unknown";
    const auto status = boost::beast::http::int_to_status(static_cast<unsigned>(code));
    if (status == boost::beast::http::status::unknown) return "Unknown";
    return std::string(boost::beast::http::obsolete_reason(status));
}

namespace {
std::string describe(int code, const std::string& message) {
    return "HTTP " + std::to_string(code) + ": " + (message.empty() ? reason_phrase(code) : message);
}
}  // namespace

HTTPClientError::HTTPClientError(int code, std::string message,
                                 std::shared_ptr<const HTTPResponse> response)
    : Error(describe(code, message)),
      code_(code),
      message_(message.empty() ? reason_phrase(code) : std::move(message)),
      response_(std::move(response)) {}

HTTPTimeoutError::HTTPTimeoutError(std::string message)
    : HTTPClientError(599, std::move(message)) {}

HTTPStreamClosedError::HTTPStreamClosedError(std::string message)
    : HTTPClientError(599, std::move(message)) {}

}  // namespace typhoon::httpclient
