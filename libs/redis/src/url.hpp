#ifndef TYPHOON_REDIS_SRC_URL_HPP
#define TYPHOON_REDIS_SRC_URL_HPP

#include <string>
#include <string_view>

namespace typhoon::redis::detail {

/// Where a Client connects and how it logs in, from its URL.
struct Endpoint {
    std::string host;  // empty for a UNIX socket
    int port = 6379;
    std::string socket_path;  // set for unix://
    std::string user;         // empty: `AUTH password` (requirepass)
    std::string password;     // empty: no AUTH
    int db = 0;
    std::string display;  // "127.0.0.1:6379" or the socket path, for messages
};

/// @throws URLError naming what is wrong.
Endpoint parse_url(std::string_view url);

}  // namespace typhoon::redis::detail

#endif
