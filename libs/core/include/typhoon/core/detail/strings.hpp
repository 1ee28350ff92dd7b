#ifndef TYPHOON_CORE_DETAIL_STRINGS_HPP
#define TYPHOON_CORE_DETAIL_STRINGS_HPP

// Installed for Typhoon's own libraries, which all need Python's way with strings in the same
// places; it is not part of the API a user is promised.

#include <string>
#include <string_view>

namespace typhoon::escape::detail {

/// The bytes C's isspace() takes for white space, which Python's bytes.strip() removes too.
inline constexpr std::string_view ascii_whitespace = " \t\n\v\f\r";
/// The ASCII characters Python's str.strip() removes: ascii_whitespace and the separators
/// \x1c-\x1f, which str.isspace() counts as white space.
inline constexpr std::string_view python_ascii_whitespace = " \t\n\v\f\r\x1c\x1d\x1e\x1f";
/// HTTP's optional white space, OWS (RFC 9110 §5.6.3): the space and the tab, nothing else.
inline constexpr std::string_view http_whitespace = " \t";

/** `text` without the bytes of `chars` at either end, as Python's `bytes.strip(chars)`:
    `strip(" a b\n")` is "a b", `strip(" \ta\r", http_whitespace)` is "a\r". */
constexpr std::string_view strip(std::string_view text,
                                 std::string_view chars = ascii_whitespace) noexcept {
    const auto first = text.find_first_not_of(chars);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(chars) - first + 1);
}

/// `text` with the ASCII letters A-Z in lower case and every other byte as it is: how header
/// names, schemes and locale codes compare, whatever the C locale.
std::string ascii_lower(std::string_view text);

/** Python's `str.strip()` of UTF-8 text: the code points `str.isspace()` accepts (U+00A0,
    U+3000, ... as well as ASCII's) off both ends. A byte of invalid UTF-8 is never white space,
    so it stays, as the U+FFFD Python would decode it to would. */
std::string_view strip_unicode(std::string_view text) noexcept;

/// Lower-case hex digits of `bytes`, two per byte (Python's `bytes.hex()`, binascii.b2a_hex).
std::string hex_encode(std::string_view bytes);

/// What Python's repr() is given: a `str` (the text is UTF-8) or a `bytes` object.
enum class Repr { str, bytes };

/** Appends Python's repr() of `text` to `out`. Both quote as Python does (single quotes unless
    the text holds a ' and no "), and escape the quote, the backslash, \t, \n and \r.
    Repr::str keeps printable characters as they are and writes the others as \xhh, \uhhhh or
    \Uhhhhhhhh (`'caf\u00e9'` stays 'café', U+0085 becomes '\x85'); a byte of invalid UTF-8,
    which a Python str cannot hold, is written as \xhh too. Repr::bytes writes b'...' with
    every byte outside printable ASCII as \xhh (b'caf\xc3\xa9'). */
void append_python_repr(std::string& out, std::string_view text, Repr type = Repr::str);

/// append_python_repr() into a new string: `python_repr("it's")` is "\"it's\"".
std::string python_repr(std::string_view text, Repr type = Repr::str);

/// Python's repr() of a float, which json_encode() writes too: the shortest digits that read
/// back the same, "0.1", "1e-05", "1e+16", and "nan", "inf", "-inf".
std::string python_float_repr(double value);

}  // namespace typhoon::escape::detail

#endif
