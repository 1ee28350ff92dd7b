// The messages of the deflate workload, the same bytes for ws_load and for zlib_echo_cost: text
// of words drawn from a small vocabulary by a fixed generator, which compresses about as
// ordinary prose and JSON do (some 3:1), unlike a repeated byte or random bytes.
#ifndef BENCH_WEBSOCKET_DEFLATE_PAYLOAD_HPP
#define BENCH_WEBSOCKET_DEFLATE_PAYLOAD_HPP

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace bench {

inline std::string deflate_payload(std::size_t size, std::uint32_t index) {
    static constexpr std::array<std::string_view, 32> words = {
        "the",     "of",    "request",  "handler",  "template", "socket",   "message", "server",
        "client",  "loop",  "{\"id\":", "\"name\"", "value",    "stream",   "buffer",  "close",
        "open",    "write", "read",     "future",   "timeout",  "header",   "cookie",  "user",
        "session", "1234",  "true",     "false",    "null",     "response", "body",    "chat"};
    std::uint32_t state = 2463534242u ^ (index * 2654435761u);
    std::string text;
    text.reserve(size + 16);
    while (text.size() < size) {
        state ^= state << 13;  // xorshift32
        state ^= state >> 17;
        state ^= state << 5;
        text += words[state % words.size()];
        text += (state >> 8) % 11 == 0 ? '\n' : ' ';
    }
    text.resize(size);
    return text;
}

}  // namespace bench

#endif
