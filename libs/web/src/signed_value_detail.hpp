#ifndef TYPHOON_WEB_SRC_SIGNED_VALUE_DETAIL_HPP
#define TYPHOON_WEB_SRC_SIGNED_VALUE_DETAIL_HPP

// The byte-level pieces that signed values and XSRF tokens share, each matching the Python
// function Tornado uses.

#include <typhoon/core/detail/strings.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace typhoon::web::detail {

/// binascii.a2b_hex (std::nullopt for an odd length or a non-hex digit); its inverse is core's
/// escape::detail::hex_encode.
using escape::detail::hex_encode;
std::optional<std::string> hex_decode(std::string_view text);
/// Python's int() of a decimal string (blanks around, a sign, `_` between digits).
std::optional<long long> python_int(std::string_view text);
/// hmac.compare_digest: equal, in a time that does not depend on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);
/// Lower-case hex HMAC of `data` with "SHA1" or "SHA256".
std::string hmac_hex(const char* digest_name, std::string_view key, std::string_view data);
/// XORs `data` with the 4-byte `mask` repeated (tornado.util._websocket_mask).
void xor_mask(std::string& data, std::string_view mask);
/// The number before the first `|` when `value` starts as Tornado's versioned values do
/// (`^([1-9][0-9]*)\|(.*)$`), capped at 1000.
std::optional<int> leading_version(std::string_view value);

}  // namespace typhoon::web::detail

#endif
