#ifndef TYPHOON_HTTP_RESPONSES_HPP
#define TYPHOON_HTTP_RESPONSES_HPP

#include <string_view>

namespace typhoon::httputil {

/** The reason phrase of an HTTP status code, as Tornado's `httputil.responses.get(code,
    "Unknown")` gives it: the words of status lines, error pages and HTTPClientError messages.

        reason_phrase(404);  // "Not Found"
        reason_phrase(413);  // "Request Entity Too Large": RFC 2616's words, as Tornado has them
        reason_phrase(299);  // "Unknown"

    The table is Python 3.11's http.client.responses, which Tornado's is, so a client sees the
    same status line from Typhoon as from Tornado. */
std::string_view reason_phrase(int code) noexcept;

}  // namespace typhoon::httputil

#endif
