#ifndef TYPHOON_HTTP_SRC_CHUNK_FRAMING_HPP
#define TYPHOON_HTTP_SRC_CHUNK_FRAMING_HPP

#include <typhoon/http/chunk_limits.hpp>

#include <boost/beast/core/flat_buffer.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace typhoon::httputil::detail {

/// The unparsed bytes of a buffer.
std::string_view buffered(const boost::beast::flat_buffer& buffer) noexcept;

/** The unread bytes a connection may hold while it reads a body: a header block of
    max_header_size, or a chunk-size line or trailer section at their limits, plus one read.
    Past this a read fails (buffer_overflow) instead of buffering without end. */
std::size_t read_buffer_limit(std::size_t max_header_size) noexcept;

/// Which of a chunked body's limits its framing crossed.
enum class ChunkLimit { line, trailers };

/** Whether the chunk framing at the front of `pending` crosses a limit: its chunk-size line is
    longer than max_chunk_line_size, or (when `last` may be the last chunk) the trailer fields
    after it are more than `trailer_budget` bytes. Beast's parser takes one element per call from
    the front of the buffer, so when it waits for more bytes, or calls on_chunk_header, the
    element is what `pending` starts with, after the CRLF that ends the previous chunk's data.
    A line that has not ended yet counts all its bytes. */
std::optional<ChunkLimit> chunk_limit_crossed(std::string_view pending, bool last,
                                              std::size_t trailer_budget) noexcept;

}  // namespace typhoon::httputil::detail

#endif
