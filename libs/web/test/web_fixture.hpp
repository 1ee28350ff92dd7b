#ifndef TYPHOON_WEB_TEST_WEB_FIXTURE_HPP
#define TYPHOON_WEB_TEST_WEB_FIXTURE_HPP

// Serves an Application on a free port and speaks plain HTTP/1.1 to it over a raw socket, so the
// web tests see exactly the bytes a client sees. (The testing library's AsyncHTTPTestCase will
// replace this once the HTTP client exists.)

#include <typhoon/web.hpp>

#include <typhoon/http/headers.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/net/tcp_client.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace web_test {

using boost::asio::awaitable;
namespace web = typhoon::web;

struct Response {
    int code = 0;
    std::string reason;
    typhoon::httputil::HTTPHeaders headers;
    std::string body;
    std::string raw;
};

struct Request {
    std::string method = "GET";
    std::string path = "/";
    std::map<std::string, std::string> headers{};
    std::string body{};
};

/// Parses one response (Content-Length or chunked body, or up to the close).
inline Response parse_response(const std::string& raw, bool head = false) {
    Response response;
    response.raw = raw;
    const auto end_of_head = raw.find("\r\n\r\n");
    if (end_of_head == std::string::npos) return response;
    const auto first_line_end = raw.find("\r\n");
    const std::string status_line = raw.substr(0, first_line_end);
    response.code = std::stoi(status_line.substr(9, 3));
    response.reason = status_line.size() > 13 ? status_line.substr(13) : "";
    response.headers = typhoon::httputil::HTTPHeaders::parse(
        raw.substr(first_line_end + 2, end_of_head - first_line_end));
    std::string rest = raw.substr(end_of_head + 4);
    if (head) return response;
    if (response.headers.get("Transfer-Encoding", "") == "chunked") {
        std::size_t at = 0;
        while (at < rest.size()) {
            const auto line_end = rest.find("\r\n", at);
            const auto size = std::stoul(rest.substr(at, line_end - at), nullptr, 16);
            if (size == 0) break;
            response.body += rest.substr(line_end + 2, size);
            at = line_end + 2 + size + 2;
        }
    } else if (const auto length = response.headers.get("Content-Length")) {
        response.body = rest.substr(0, std::stoul(*length));
    } else {
        response.body = rest;
    }
    return response;
}

struct AppFixture {
    typhoon::ioloop::IOLoop loop;
    std::optional<web::Application> app;
    std::uint16_t port = 0;

    void serve(web::Application application) {
        app.emplace(std::move(application));
        port = app->listen(0, "127.0.0.1").ports().at(0);
    }

    template <class F>
    auto run(F coroutine) {
        return loop.run_sync(std::move(coroutine), std::chrono::seconds(20));
    }

    /// Sends `raw` bytes and returns what the server answered before closing.
    std::string exchange(std::string raw) {
        return run([&]() -> awaitable<std::string> {
            auto stream = co_await typhoon::tcpclient::TCPClient().connect("127.0.0.1", port);
            co_await stream->write(raw);
            co_return co_await stream->read_until_close();
        });
    }

    Response fetch(Request request) {
        std::string raw = request.method + " " + request.path +
                          " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                          "\r\nConnection: close\r\n";
        for (const auto& [name, value] : request.headers)
            raw += name + ": " + value + "\r\n";
        if (!request.body.empty() || request.method == "POST" || request.method == "PUT")
            raw += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
        raw += "\r\n" + request.body;
        return parse_response(exchange(raw), request.method == "HEAD");
    }

    Response fetch(std::string path) { return fetch(Request{.path = std::move(path)}); }
};

}  // namespace web_test

#endif
