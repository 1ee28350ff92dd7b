#ifndef TYPHOON_NET_DETAIL_BASE64_HPP
#define TYPHOON_NET_DETAIL_BASE64_HPP

// Installed for the libraries above net, which all reach OpenSSL's base64 through it (HTTP Basic
// auth, signed values, OAuth signatures); it is not part of the API a user is promised.

#include <optional>
#include <string>
#include <string_view>

namespace typhoon::netutil::detail {

/// Standard base64 with padding, as Python's base64.b64encode writes it: "YWI=" for "ab".
std::string base64_encode(std::string_view bytes);

/// How base64_decode() reads text that is not canonical base64.
enum class Base64Input {
    /// As Python's base64.b64decode() (binascii.a2b_base64): characters outside the alphabet
    /// are skipped, padding after two or three digits of a group ends the data, and a group
    /// left incomplete without padding is an error.
    lenient,
    /// Groups of four alphabet characters, the last with at most two '=': anything else is an
    /// error.
    strict,
};

/// The bytes `text` stands for, in the standard alphabet (+ and /); std::nullopt when `input`
/// refuses the text.
std::optional<std::string> base64_decode(std::string_view text,
                                         Base64Input input = Base64Input::lenient);

}  // namespace typhoon::netutil::detail

#endif
