#ifndef TYPHOON_CORE_JSON_HPP
#define TYPHOON_CORE_JSON_HPP

#include <typhoon/core/error.hpp>

#include <boost/json/value.hpp>

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>

namespace typhoon::escape {

/** JSON text of `value` exactly as Tornado's json_encode writes it, so that pages and API answers
    are byte-identical: Python's `json.dumps` layout (`", "` and `": "` separators, non-ASCII as
    `\uXXXX`, floats as Python's repr, NaN and Infinity as Python spells them), and `</` written as
    `<\/` so the text can sit inside a `<script>` element. Invalid UTF-8 in a string becomes
    `\ufffd`. */
std::string json_encode(const boost::json::value& value);

namespace detail {
std::string json_encode_object(const boost::json::object& object);
}  // namespace detail

/// json_encode() of an object, which a `boost::json::value` parameter would first copy. A template
/// so that a braced list still goes to the overload above.
template <class Object>
    requires std::same_as<Object, boost::json::object>
std::string json_encode(const Object& object) {
    return detail::json_encode_object(object);
}

/// Thrown by json_decode: `what()` is "<reason>: line L column C (char N)", like Python's message.
class JSONDecodeError : public Error {
public:
    /// `reason` is Python's wording ("Expecting value"); the position is appended to it.
    JSONDecodeError(std::string_view reason, std::size_t position, std::size_t line,
                    std::size_t column);
    /// Offset of the offending byte in the input, counted from 0.
    std::size_t position() const noexcept { return position_; }
    ///@{
    /// Line and column of that byte, counted from 1.
    std::size_t line() const noexcept { return line_; }
    std::size_t column() const noexcept { return column_; }
    ///@}

private:
    std::size_t position_, line_, column_;
};

/** Parses JSON text (tornado.escape.json_decode).
    @throws JSONDecodeError naming the position of the first error: malformed syntax, invalid
    UTF-8, trailing text, or nesting deeper than 256 levels. */
boost::json::value json_decode(std::string_view text);

}  // namespace typhoon::escape

#endif
