// The HTTP client's response reader on arbitrary bytes: a loopback server answers every request
// with the input (then closes), and AsyncHTTPClient fetches from it, following redirects to
// whatever Location the input names (every host resolves to the same server). Whatever the bytes
// (status line, headers, chunked or gzip bodies, redirects), the fetch must end within its
// timeout with a response or an HTTPClientError, within the client's limits.

#include "check.hpp"
#include "loopback.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/http/http_client.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/net/netutil.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

using namespace typhoon;
using boost::asio::awaitable;
using boost::asio::ip::tcp;

namespace {

using fuzz_support::check;

constexpr std::size_t max_header_size = 4096, max_body_size = 16384;

struct Harness {
    ioloop::IOLoop loop;
    std::unique_ptr<fuzz_support::Listener> listener;
    std::uint16_t port = 0;
    std::string answer;  // what every connection gets
};
Harness* harness = nullptr;

/// Every name is the fuzzing server: redirects anywhere come back to it.
struct LoopbackResolver final : netutil::Resolver {
    awaitable<std::vector<tcp::endpoint>> resolve(std::string, std::uint16_t,
                                                  netutil::Family) override {
        co_return std::vector<tcp::endpoint>{
            {boost::asio::ip::make_address("127.0.0.1"), harness->port}};
    }
};

awaitable<void> answer(tcp::socket socket) {
    boost::system::error_code ec;
    std::string request;
    co_await boost::asio::async_read_until(
        socket, boost::asio::dynamic_buffer(request, 65536), "\r\n\r\n",
        boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    co_await boost::asio::async_write(socket, boost::asio::buffer(harness->answer),
                                      boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    socket.shutdown(tcp::socket::shutdown_both, ec);
}

bool has_line_break(std::string_view text) {
    return text.find_first_of("\r\n") != std::string_view::npos;
}

awaitable<void> fetch() {
    httpclient::AsyncHTTPClient client({.max_header_size = max_header_size,
                                        .max_body_size = max_body_size,
                                        .resolver = std::make_shared<LoopbackResolver>()});
    httpclient::HTTPRequest request;
    request.max_redirects = 2;
    request.request_timeout = std::chrono::seconds(5);
    request.raise_error = false;
    try {
        const httpclient::HTTPResponse response = co_await client.fetch(
            "http://127.0.0.1:" + std::to_string(harness->port) + "/", request);
        check(response.code >= 100 && response.code <= 999, "a response with an invalid code");
        check(response.body.size() <= max_body_size, "a body over max_body_size");
        check(!has_line_break(response.reason), "a reason with a line break");
        response.headers.for_each([](std::string_view name, std::string_view value) {
            check(!name.empty() && !has_line_break(name) && !has_line_break(value),
                  "a header field with a line break");
        });
    } catch (const httpclient::HTTPClientError& e) {
        check(e.code() >= 100, "an error without a code");
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    harness = new Harness;
    log::clear_handlers();
    harness->listener =
        std::make_unique<fuzz_support::Listener>(harness->loop.get_executor(), answer);
    harness->port = harness->listener->port();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    harness->answer.assign(reinterpret_cast<const char*>(data), size);
    try {
        harness->loop.run_sync(fetch, std::chrono::seconds(20));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "http_client fuzz: %s\n", e.what());
        check(false, "the fetch did not end within its request_timeout");
    }
    return 0;
}
