#ifndef TYPHOON_HTTP_CHUNK_LIMITS_HPP
#define TYPHOON_HTTP_CHUNK_LIMITS_HPP

#include <cstddef>

namespace typhoon::httputil {

/** The longest chunk-size line of a chunked body, extensions included and CRLF excluded
    (RFC 9112 §7.1.1), that the server and the client accept: 4 KiB. A longer one is a 400 from
    HTTPServer and an HTTPClientError 599 from the client. The trailer fields after the last
    chunk (§7.1.2) count against max_header_size with the header block, on both sides. Beast
    bounds neither the line nor the trailers; without these bounds a peer could make us buffer
    without end. */
inline constexpr std::size_t max_chunk_line_size = 4 * 1024;

}  // namespace typhoon::httputil

#endif
