#ifndef TYPHOON_REDIS_REPLY_HPP
#define TYPHOON_REDIS_REPLY_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace typhoon::redis {

/** One RESP2 reply, as Redis sent it: a bulk string (binary-safe, NUL bytes included), a status
    ("+OK"), an integer, an array of replies, nil, or an error. `Client::command()` raises an
    error reply as ReplyError, so it hands back the other five; an error can still appear as an
    element of an array (the results of EXEC) and in the replies of `Client::pipeline()`.

        auto reply = co_await client.command("GET", "greeting");
        if (auto text = reply.as_optional_string()) std::cout << *text;   // nil: no such key

    The accessors check the type and raise redis::Error ("reply is an integer, not a string")
    when it is another: a wrong guess is a bug to hear about, not a value to invent. */
class Reply {
public:
    /// What Redis sent; RESP2 has exactly these.
    enum class Type { nil, string, status, integer, array, error };

    /// A nil reply (GET of a missing key, a timed-out BLPOP).
    Reply() = default;
    ///@{
    /// Replies of each type, for tests and fakes; the client builds them from the wire.
    static Reply bulk(std::string value);
    static Reply status(std::string value);
    static Reply integer(std::int64_t value);
    static Reply array(std::vector<Reply> elements);
    static Reply error(std::string message);
    ///@}

    /// What Redis sent.
    Type type() const noexcept { return type_; }
    /// Nil: Python's None (GET of a missing key).
    bool is_nil() const noexcept { return type_ == Type::nil; }
    /// An error reply, as found inside arrays and in pipeline() results.
    bool is_error() const noexcept { return type_ == Type::error; }

    /** The bytes of a bulk string or the text of a status ("OK", "PONG").
        @throws redis::Error for any other type. */
    const std::string& as_string() const;
    /// The string, or std::nullopt for nil (Python's None). @throws redis::Error otherwise.
    std::optional<std::string> as_optional_string() const;
    /// The value of an integer reply. @throws redis::Error for any other type.
    std::int64_t as_integer() const;
    /// The elements of an array. @throws redis::Error for any other type.
    const std::vector<Reply>& as_array() const;
    /// Redis's message of an error reply. @throws redis::Error for any other type.
    const std::string& error_message() const;

    /// "string", "status", "integer", "array", "nil" or "error".
    static std::string_view type_name(Type type) noexcept;

    friend bool operator==(const Reply&, const Reply&) = default;

private:
    /// A reply of one of the kinds that carry text: string, status, error.
    static Reply of_text(Type type, std::string text);
    Type type_ = Type::nil;
    std::string text_;  // a string's bytes, a status's text or an error's message
    std::int64_t integer_ = 0;
    std::vector<Reply> elements_;
};

}  // namespace typhoon::redis

#endif
