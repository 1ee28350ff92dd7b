#ifndef TYPHOON_WEBSOCKET_MESSAGE_HPP
#define TYPHOON_WEBSOCKET_MESSAGE_HPP

#include <string>

namespace typhoon::websocket {

/** One WebSocket message, whole (fragments are joined): Tornado's `str` (text, valid UTF-8) or
    `bytes` (binary). */
struct Message {
    std::string data{};   ///< the payload: UTF-8 text, or any bytes when `binary`
    bool binary = false;  ///< a binary message (opcode 2) rather than text (opcode 1)
};

/// Options of write_message().
struct WriteOptions {
    /// Send a binary message rather than text (Tornado's `binary=True`).
    bool binary = false;
};

/** permessage-deflate (RFC 7692) settings, as Tornado's compression_options dict: returning
    them from get_compression_options() (or passing them to websocket_connect()) offers or
    accepts compression; std::nullopt disables it. */
struct CompressionOptions {
    /// zlib's level, 0 (none) to 9 (best); Tornado's default is 6, that of its gzip.
    int compression_level = 6;
    /// zlib's memLevel, 1 to 9: memory for speed.
    int mem_level = 8;
};

}  // namespace typhoon::websocket

#endif
