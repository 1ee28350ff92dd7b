#ifndef TYPHOON_CORE_ESCAPE_HPP
#define TYPHOON_CORE_ESCAPE_HPP

#include <string>
#include <string_view>

/** HTML and URL escaping as tornado.escape does it. Strings are UTF-8 bytes; where Tornado
    returns a decoded `str`, these return UTF-8 with invalid sequences replaced by U+FFFD, which
    is what Tornado's `errors="replace"` decoding produces. */
namespace typhoon::escape {

/// Replaces `& < > " '` by `&amp; &lt; &gt; &quot; &#39;` (tornado.escape.xhtml_escape), so the
/// result is safe in element content and in quoted attribute values.
std::string xhtml_escape(std::string_view value);

/** Replaces named (`&amp;`), decimal (`&#39;`) and hex (`&#x27;`) character references by the
    characters they name (tornado.escape.xhtml_unescape). A reference that names nothing, such as
    `&amp;bogus;` or `&#xZZ;`, is kept as written; a numeric one past U+10FFFF too. */
std::string xhtml_unescape(std::string_view value);

/// How url_escape() encodes (the keyword arguments of tornado.escape.url_escape).
struct UrlEscapeOptions {
    /// Spaces become `+` and `/` is escaped: right for query strings and forms, and Tornado's
    /// default. False gives `%20` and keeps `/`, for URL paths.
    bool plus = true;
};

/// Percent-encodes everything but `A-Z a-z 0-9 _ . - ~` (tornado.escape.url_escape).
std::string url_escape(std::string_view value, UrlEscapeOptions options = {});

/// How url_unescape() decodes (the keyword arguments of tornado.escape.url_unescape).
struct UrlUnescapeOptions {
    /// `+` means a space (query strings and forms); false leaves `+` alone (URL paths).
    bool plus = true;
    /// Replace invalid UTF-8 in the result by U+FFFD, as Tornado's default `encoding="utf-8"`
    /// does. False returns the decoded bytes as they are, as `encoding=None` does.
    bool decode_utf8 = true;
};

/// Decodes `%XX` escapes (tornado.escape.url_unescape). A `%` not followed by two hex digits is
/// kept as written.
std::string url_unescape(std::string_view value, UrlUnescapeOptions options = {});

/// Replaces each run of ASCII control characters and spaces by one space and strips whitespace,
/// Unicode's included, from both ends (tornado.escape.squeeze).
std::string squeeze(std::string_view value);

}  // namespace typhoon::escape

#endif
