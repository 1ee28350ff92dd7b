// One request to a server under test and the one response it answers with before it closes: what
// the targets that drive a web::Application check their properties on.
#ifndef TYPHOON_FUZZ_SUPPORT_ONE_RESPONSE_HPP
#define TYPHOON_FUZZ_SUPPORT_ONE_RESPONSE_HPP

#include "check.hpp"
#include "loopback.hpp"

#include <typhoon/ioloop/ioloop.hpp>

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

namespace fuzz_support {

/// Sends `request` (which should ask for `Connection: close`) to 127.0.0.1:`port` and parses
/// what comes back. Fails the input when nothing came within 10 s or it is no well-formed
/// response.
inline boost::beast::http::response<boost::beast::http::string_body> one_response(
    typhoon::ioloop::IOLoop& loop, std::uint16_t port, std::string_view request) {
    namespace http = boost::beast::http;
    std::string received;
    try {
        loop.run_sync([&] { return exchange(port, request, received, false); },
                      std::chrono::seconds(10));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz target: %s\n", e.what());
        check(false, "no answer within 10 s");
    }
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(received), ec);
    if (!parser.is_done()) parser.put_eof(ec);
    check(parser.is_done() && !ec, "a malformed response");
    return parser.release();
}

}  // namespace fuzz_support

#endif
