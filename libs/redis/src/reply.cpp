#include <typhoon/redis/errors.hpp>
#include <typhoon/redis/reply.hpp>

#include <utility>

namespace typhoon::redis {

namespace {
[[noreturn]] void wrong_type(Reply::Type actual, std::string_view wanted) {
    throw Error("redis: reply is " +
                std::string(actual == Reply::Type::integer || actual == Reply::Type::array ||
                                    actual == Reply::Type::error
                                ? "an "
                                : "a ") +
                std::string(Reply::type_name(actual)) + ", not " + std::string(wanted));
}
}  // namespace

Reply Reply::of_text(Type type, std::string text) {
    Reply reply;
    reply.type_ = type;
    reply.text_ = std::move(text);
    return reply;
}

Reply Reply::bulk(std::string value) {
    return of_text(Type::string, std::move(value));
}

Reply Reply::status(std::string value) {
    return of_text(Type::status, std::move(value));
}

Reply Reply::integer(std::int64_t value) {
    Reply reply;
    reply.type_ = Type::integer;
    reply.integer_ = value;
    return reply;
}

Reply Reply::array(std::vector<Reply> elements) {
    Reply reply;
    reply.type_ = Type::array;
    reply.elements_ = std::move(elements);
    return reply;
}

Reply Reply::error(std::string message) {
    return of_text(Type::error, std::move(message));
}

const std::string& Reply::as_string() const {
    if (type_ != Type::string && type_ != Type::status) wrong_type(type_, "a string");
    return text_;
}

std::optional<std::string> Reply::as_optional_string() const {
    if (type_ == Type::nil) return std::nullopt;
    return as_string();
}

std::int64_t Reply::as_integer() const {
    if (type_ != Type::integer) wrong_type(type_, "an integer");
    return integer_;
}

const std::vector<Reply>& Reply::as_array() const {
    if (type_ != Type::array) wrong_type(type_, "an array");
    return elements_;
}

const std::string& Reply::error_message() const {
    if (type_ != Type::error) wrong_type(type_, "an error");
    return text_;
}

std::string_view Reply::type_name(Type type) noexcept {
    switch (type) {
        case Type::nil:
            return "nil";
        case Type::string:
            return "string";
        case Type::status:
            return "status";
        case Type::integer:
            return "integer";
        case Type::array:
            return "array";
        case Type::error:
            return "error";
    }
    return "unknown";
}

}  // namespace typhoon::redis
