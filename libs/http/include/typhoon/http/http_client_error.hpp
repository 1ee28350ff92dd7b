#ifndef TYPHOON_HTTP_HTTP_CLIENT_ERROR_HPP
#define TYPHOON_HTTP_HTTP_CLIENT_ERROR_HPP

#include <typhoon/core/error.hpp>
#include <typhoon/http/responses.hpp>

#include <memory>
#include <string>

namespace typhoon::httpclient {

struct HTTPResponse;

/** A fetch that failed (tornado.httpclient.HTTPClientError). `code` is the HTTP status for a
    response outside 2xx, or 599 when there was no response: a timeout, a refused connection, a
    name that does not resolve, a failed TLS handshake, a truncated or oversized response. `what()`
    reads "HTTP 404: Not Found" (the two subclasses below print only their message, as Tornado's
    do). */
class HTTPClientError : public Error {
public:
    /// An empty `message` becomes the standard reason phrase of `code` ("Unknown" if none).
    explicit HTTPClientError(int code, std::string message = {},
                             std::shared_ptr<const HTTPResponse> response = nullptr);

    /// The HTTP status, or 599 when no response arrived.
    int code() const noexcept { return code_; }
    /// The reason phrase, or what went wrong for a 599 ("Timeout during request").
    const std::string& message() const noexcept { return message_; }
    /** The response, when the server answered (raise_error on a non-2xx code): its body and
        headers are there. Null for 599 errors. */
    const std::shared_ptr<const HTTPResponse>& response() const noexcept { return response_; }

protected:
    /// For subclasses whose what() is not "HTTP <code>: <message>".
    HTTPClientError(int code, std::string message, std::shared_ptr<const HTTPResponse> response,
                    std::string what);

private:
    int code_;
    std::string message_;
    std::shared_ptr<const HTTPResponse> response_;
};

/// A connect, request or queue timeout: code 599 (tornado.simple_httpclient.HTTPTimeoutError).
/// `what()` is only the message, as in Tornado: "Timeout while connecting", "Timeout during
/// request" or "Timeout in request queue".
class HTTPTimeoutError final : public HTTPClientError {
public:
    /// Code 599; `message` is also what().
    explicit HTTPTimeoutError(std::string message);
};

/** The connection closed or could not be made: code 599
    (tornado.simple_httpclient.HTTPStreamClosedError). The message says what happened and to
    which host: refused, unresolvable, TLS failure with OpenSSL's reason, closed mid-response.
    `what()` is only the message, as in Tornado. */
class HTTPStreamClosedError final : public HTTPClientError {
public:
    /// Code 599; `message` is also what().
    explicit HTTPStreamClosedError(std::string message);
};

/// httputil::reason_phrase(), named here too: an empty message and a response's missing reason
/// become its words.
using httputil::reason_phrase;

}  // namespace typhoon::httpclient

#endif
