#ifndef TYPHOON_WEB_TEST_WEB_TEST_CASE_HPP
#define TYPHOON_WEB_TEST_WEB_TEST_CASE_HPP

// What the web tests use beside typhoon::testing::AsyncHTTPTestCase: request headers written
// inline, and a raw exchange for the few tests that are about the exact bytes on the wire
// (a HEAD answer without body bytes, pipelined requests), which a client hides.

#include <typhoon/testing.hpp>

#include <typhoon/http/headers.hpp>
#include <typhoon/net/tcp_client.hpp>

#include <boost/asio/awaitable.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace web_test {

using boost::asio::awaitable;

/// `fetch(path, {.headers = headers({{"X-User", "ada"}})})`
inline typhoon::httputil::HTTPHeaders headers(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
    typhoon::httputil::HTTPHeaders result;
    for (const auto& [name, value] : fields)
        result.add(name, value);
    return result;
}

/** Sends `raw` to the test's server on a connection of its own and returns every byte of the
    answer up to the server's close, so the last request should say `Connection: close`. */
inline std::string exchange(typhoon::testing::AsyncHTTPTestCase& test, std::string raw) {
    return test.run_until([&]() -> awaitable<std::string> {
        auto stream =
            co_await typhoon::tcpclient::TCPClient().connect("127.0.0.1", test.get_http_port());
        co_await stream->write(raw);
        co_return co_await stream->read_until_close();
    });
}

}  // namespace web_test

#endif
