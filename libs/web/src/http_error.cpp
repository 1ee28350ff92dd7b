#include <typhoon/web/http_error.hpp>

#include "status_reasons.hpp"

#include <typhoon/http/responses.hpp>

namespace typhoon::web {

namespace {

std::string describe(int status_code, const std::string& log_message, const std::string& reason) {
    std::string text =
        "HTTP " + std::to_string(status_code) + ": " +
        (reason.empty() ? std::string(httputil::reason_phrase(status_code)) : reason);
    if (!log_message.empty()) text += " (" + log_message + ")";
    return text;
}

}  // namespace

HTTPError::HTTPError(int status_code, std::string log_message, std::string reason)
    : Error(describe(status_code, log_message, reason)),
      status_code_(status_code),
      log_message_(std::move(log_message)),
      reason_(std::move(reason)) {
    detail::check_reason_phrase(reason_);
}

MissingArgumentError::MissingArgumentError(const std::string& arg_name)
    : HTTPError(400, "Missing argument " + arg_name), arg_name_(arg_name) {}

}  // namespace typhoon::web
