#ifndef TYPHOON_REDIS_ERRORS_HPP
#define TYPHOON_REDIS_ERRORS_HPP

#include <typhoon/core/error.hpp>

#include <string>
#include <string_view>

namespace typhoon::redis {

/// Base of every error the Redis client raises (redis-py's RedisError).
struct Error : typhoon::Error {
    using typhoon::Error::Error;
};

/// A URL given to Client that is not one of the forms it documents; `what()` names the part
/// that is wrong ("redis: bad port in redis://localhost:http").
struct URLError : Error {
    using Error::Error;
};

/** Redis answered with an error reply (`-ERR ...`, `-WRONGTYPE ...`). `what()` is Redis's own
    message, unchanged; the connection stays usable. */
class ReplyError : public Error {
public:
    /// `message` as Redis sent it, without the leading '-'.
    explicit ReplyError(std::string message) : Error(message) {}
    /// The first word of the message, Redis's error code: "ERR", "WRONGTYPE", "NOAUTH", ...
    std::string_view code() const noexcept {
        std::string_view text = what();
        return text.substr(0, text.find(' '));
    }
};

/** The connection could not be opened or was lost: refused, reset, closed by the server, a
    failed AUTH or SELECT, a connect timeout. Every command in flight on that connection fails
    with it; the next command opens a new connection. */
struct ConnectionError : Error {
    using Error::Error;
};

/** A command (or a subscription's wait for a message) took longer than its timeout. For a
    command the connection is closed as well (see ClientOptions::command_timeout). */
struct TimeoutError : Error {
    using Error::Error;
};

}  // namespace typhoon::redis

#endif
