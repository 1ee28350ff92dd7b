#ifndef TYPHOON_WEB_HTTP_ERROR_HPP
#define TYPHOON_WEB_HTTP_ERROR_HPP

#include <typhoon/core/error.hpp>

#include <exception>
#include <string>

namespace typhoon::web {

/** Thrown from a handler to answer with an error page (Tornado's `raise HTTPError(404)`).
    `log_message` goes to the log only (gen_log, warning); `what()` is
    "HTTP 404: Not Found (no story 7)". A `reason` replaces the standard reason phrase in the
    status line and the error page. */
class HTTPError : public Error {
public:
    /// An empty `reason` means the standard phrase of `status_code` ("Unknown" for a code
    /// without one). @throws std::invalid_argument, naming the character, for a `reason` with a
    /// control character other than tab (a CR or LF would split the response): the request then
    /// gets a 500.
    explicit HTTPError(int status_code = 500, std::string log_message = {},
                       std::string reason = {});
    /// The status the response gets.
    int status_code() const noexcept { return status_code_; }
    /// The detail for the log, not shown to the client; may be empty.
    const std::string& log_message() const noexcept { return log_message_; }
    /// The reason phrase given to the constructor; empty for the standard one.
    const std::string& reason() const noexcept { return reason_; }

private:
    int status_code_;
    std::string log_message_;
    std::string reason_;
};

/// From get_argument(name) without a default: a 400 rather than a 500, logged as
/// "Missing argument NAME" at warning level with no stack trace.
class MissingArgumentError : public HTTPError {
public:
    /// A 400 HTTPError whose log message is "Missing argument <arg_name>".
    explicit MissingArgumentError(const std::string& arg_name);
    /// The name of the argument that was missing.
    const std::string& arg_name() const noexcept { return arg_name_; }

private:
    std::string arg_name_;
};

/** Ends the request as it stands, with no error page (Tornado's `raise Finish()`); a chunk given
    here is written first, as `Finish(chunk)` does. It is not an Error on purpose: user code that
    catches typhoon::Error must not swallow it. */
class Finish : public std::exception {
public:
    Finish() = default;  ///< `raise Finish()`: finish() with what was written so far.
    /// `raise Finish(chunk)`: write(chunk), then finish().
    explicit Finish(std::string chunk) : chunk_(std::move(chunk)) {}
    /// The chunk to write before finishing; empty for none.
    const std::string& chunk() const noexcept { return chunk_; }
    /// "Finish"; the exception is control flow, not a failure.
    const char* what() const noexcept override { return "Finish"; }

private:
    std::string chunk_;
};

}  // namespace typhoon::web

#endif
