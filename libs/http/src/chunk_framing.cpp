#include "chunk_framing.hpp"

#include <limits>

namespace typhoon::httputil::detail {

namespace {
constexpr std::size_t one_read = 64 * 1024;  // what Beast's read_some asks the socket for
}

std::string_view buffered(const boost::beast::flat_buffer& buffer) noexcept {
    const auto data = buffer.data();
    return {static_cast<const char*>(data.data()), data.size()};
}

std::size_t read_buffer_limit(std::size_t max_header_size) noexcept {
    constexpr std::size_t slack = max_chunk_line_size + one_read + 16;
    return max_header_size > std::numeric_limits<std::size_t>::max() - slack
               ? std::numeric_limits<std::size_t>::max()
               : max_header_size + slack;
}

std::optional<ChunkLimit> chunk_limit_crossed(std::string_view pending, bool last,
                                              std::size_t trailer_budget) noexcept {
    if (pending.starts_with("\r\n")) pending.remove_prefix(2);
    const auto lf = pending.find('\n');
    if (lf == std::string_view::npos)
        return pending.size() > max_chunk_line_size ? std::optional(ChunkLimit::line)
                                                    : std::nullopt;
    const std::size_t line = lf > 0 && pending[lf - 1] == '\r' ? lf - 1 : lf;
    if (line > max_chunk_line_size) return ChunkLimit::line;
    if (!last) return std::nullopt;  // what follows is chunk data
    const std::string_view rest = pending.substr(lf + 1);
    std::size_t trailers = rest.size();
    if (rest.starts_with("\r\n"))
        trailers = 0;
    else if (const auto end = rest.find("\r\n\r\n"); end != std::string_view::npos)
        trailers = end + 2;
    return trailers > trailer_budget ? std::optional(ChunkLimit::trailers) : std::nullopt;
}

}  // namespace typhoon::httputil::detail
