// The HTTP/1 server on arbitrary bytes: one client connection per input, over loopback, sends
// the input and half-closes; the application answers every request it is handed (with a fixed
// body, chunked now and then). Whatever the bytes (pipelined requests, chunked bodies, gzip
// bodies, Expect, upgrades, garbage), the server must
//   - hand the application only well-formed requests within its limits,
//   - answer with well-formed responses, one per request in order, a refusal only as the last,
//     with nothing handed to the application after it,
//   - log at most one line for the connection, and never an error,
//   - close the connection when the input ends (never hang).

#include "check.hpp"
#include "loopback.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/http/server_request.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

using namespace typhoon;
using boost::asio::awaitable;
using boost::asio::ip::tcp;
namespace http = boost::beast::http;

namespace {

using fuzz_support::check;

constexpr std::size_t max_header_size = 2048, max_body_size = 4096;

struct Harness {
    ioloop::IOLoop loop;
    std::unique_ptr<httpserver::HTTPServer> server;
    std::uint16_t port = 0;
    std::deque<std::string> methods;  // of the requests the application was handed, in order
    int log_lines = 0, errors = 0;
};
Harness* harness = nullptr;

bool is_token(std::string_view text) {
    constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
    if (text.empty()) return false;
    for (const unsigned char c : text)
        if (!std::isalnum(c) && specials.find(static_cast<char>(c)) == std::string_view::npos)
            return false;
    return true;
}

bool has_control(std::string_view text) {
    for (const unsigned char c : text)
        if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
    return false;
}

awaitable<void> application(httputil::HTTPServerRequest& request,
                            httputil::HTTPConnection& connection) {
    check(is_token(request.method), "a request with a method that is not a token");
    check(!request.uri.empty() && !has_control(request.uri), "a request with a bad target");
    check(request.version == "HTTP/1.0" || request.version == "HTTP/1.1", "a bad version");
    check(request.body.size() <= max_body_size, "a body over max_body_size");
    check(request.version == "HTTP/1.0" || request.headers.get_list("Host").size() == 1,
          "an HTTP/1.1 request without exactly one Host");
    check(!(request.headers.contains("Transfer-Encoding") &&
            request.headers.contains("Content-Length")),
          "a request with Transfer-Encoding and Content-Length");
    request.headers.for_each([](std::string_view name, std::string_view value) {
        check(is_token(name) && !has_control(value), "a malformed header field");
    });
    harness->methods.push_back(request.method);

    const std::string body = "body of " + std::to_string(request.body.size()) + " bytes";
    httputil::HTTPHeaders headers;
    if (request.method == "HEAD") {
        headers.add("Content-Length", std::to_string(body.size()));
        co_await connection.write_headers({"HTTP/1.1", 200, "OK"}, std::move(headers));
    } else if (request.body.size() % 2 == 1) {  // no length: chunked, or close-delimited in 1.0
        co_await connection.write_headers({"HTTP/1.1", 200, "OK"}, std::move(headers), "body ");
        co_await connection.write(body);
    } else {
        headers.add("Content-Length", std::to_string(body.size()));
        co_await connection.write_headers({"HTTP/1.1", 200, "OK"}, std::move(headers), body);
    }
    co_await connection.finish();
}

struct LogCounter final : log::Handler {
    bool handle(const log::Record& record) override {
        ++harness->log_lines;
        if (record.level >= log::Level::error) {
            ++harness->errors;
            std::fprintf(stderr, "http_server fuzz: logged %s%s\n", record.message.c_str(),
                         record.exception.c_str());
        }
        return true;
    }
};

/// Checks the responses in `received` against the requests the application was handed.
void check_responses(std::string_view received, bool clean_close) {
    std::size_t answered = 0;
    bool refused = false;
    while (!received.empty()) {
        check(!refused, "a response after a refusal");
        http::response_parser<http::string_body> parser;
        parser.eager(true);
        parser.body_limit(boost::none);
        const bool head =
            answered < harness->methods.size() && harness->methods[answered] == "HEAD";
        parser.skip(head);
        boost::system::error_code ec;
        const std::size_t used =
            parser.put(boost::asio::buffer(received.data(), received.size()), ec);
        if (ec == http::error::need_more || (!ec && !parser.is_done())) {
            if (parser.need_eof()) parser.put_eof(ec);
            if (!parser.is_done()) {
                // Cut short: only when the server's close was a reset that lost what was queued.
                check(!clean_close, "a response cut short by a clean close");
                return;
            }
            received = {};
        } else {
            check(!ec, "a malformed response");
            received.remove_prefix(used);
        }
        const auto& response = parser.get();
        const unsigned status = response.result_int();
        check(response.version() == 11, "a response that is not HTTP/1.1");
        if (status == 100) continue;  // the interim answer to Expect: 100-continue
        check(status >= 200, "an unexpected interim response");
        if (answered < harness->methods.size()) {
            check(status == 200, "an application's answer replaced by another");
            ++answered;
            continue;
        }
        check(status >= 400 && status < 600, "an unsolicited response that is not an error");
        check(!response.keep_alive(), "a refusal that keeps the connection open");
        refused = true;
    }
    if (clean_close && refused)
        check(answered == harness->methods.size(), "a request handed over but not answered");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    harness = new Harness;
    log::clear_handlers();
    log::add_handler(std::make_shared<LogCounter>());
    httpserver::HTTPServerOptions options;
    options.max_header_size = max_header_size;
    options.max_body_size = max_body_size;
    options.decompress_request = true;
    harness->server = std::make_unique<httpserver::HTTPServer>(application, options);
    harness->server->listen(0, "127.0.0.1");
    harness->port = harness->server->ports().at(0);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    harness->methods.clear();
    harness->log_lines = harness->errors = 0;
    std::string received;
    bool clean_close = false;
    try {
        clean_close = harness->loop.run_sync(
            [&]() -> awaitable<bool> {
                co_return co_await fuzz_support::exchange(harness->port, input, received);
            },
            std::chrono::seconds(10));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "http_server fuzz: %s\n", e.what());
        check(false, "the connection did not end within 10 s of the input");
    }
    // Let the server finish with the connection, so that what it logs counts for this input.
    harness->loop.run_sync([]() -> awaitable<void> {
        for (int i = 0; i < 1100 && harness->server->connection_count() > 0; ++i) {
            if (i < 100)
                co_await boost::asio::post(co_await boost::asio::this_coro::executor,
                                           boost::asio::use_awaitable);
            else
                co_await gen::sleep(std::chrono::milliseconds(1));
        }
    });
    check(harness->server->connection_count() == 0, "the server kept a closed connection");
    check(harness->errors == 0, "an error was logged");
    check(harness->log_lines <= 1, "more than one line logged for one connection");
    check_responses(received, clean_close);
    return 0;
}
