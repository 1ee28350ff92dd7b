#ifndef TYPHOON_NET_IOSTREAM_REGEX_HPP
#define TYPHOON_NET_IOSTREAM_REGEX_HPP

#include <typhoon/net/iostream.hpp>

#include <cstddef>
#include <optional>
#include <regex>
#include <string>

namespace typhoon::iostream {

/** Reads from `stream` up to and including the first match of `pattern` (Tornado's
    IOStream.read_until_regex):

        const std::regex blank_line("\r?\n\r?\n");
        std::string head = co_await read_until_regex(*stream, blank_line);

    It is not a member, so that `<regex>` reaches only the code that includes this header.
    `stream` and `pattern` must outlive the call.
    @throws UnsatisfiableReadError when `max_bytes` pass without a match (the stream is closed),
    StreamBufferFullError past `max_buffer_size`, StreamClosedError. */
awaitable<std::string> read_until_regex(IOStream& stream, const std::regex& pattern,
                                        std::optional<std::size_t> max_bytes = {});

}  // namespace typhoon::iostream

#endif
