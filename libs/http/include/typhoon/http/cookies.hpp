#ifndef TYPHOON_HTTP_COOKIES_HPP
#define TYPHOON_HTTP_COOKIES_HPP

#include <map>
#include <string>
#include <string_view>

namespace typhoon::httputil {

/** Parses a Cookie request header into names and values the way browsers write it, not as the
    RFCs say (tornado.httputil.parse_cookie): `a=1; b="x y"` → {a: 1, b: x y}; a quoted value is
    unquoted as Python's http.cookies does, backslash escapes included. A chunk without
    '=' is a value with an empty name; a later duplicate name wins. */
std::map<std::string, std::string, std::less<>> parse_cookie(std::string_view header);

/// True for a name Python's http.cookies accepts as a cookie key: non-empty, of the characters of
/// its `_LegalChars` (letters, digits, the punctuation an RFC 2616 token allows, and `:`), and not
/// an attribute name such as "expires" or "path".
bool is_legal_cookie_name(std::string_view name);

}  // namespace typhoon::httputil

#endif
