// http_server: plain text and JSON answers on the bare HTTP layer (tornado.httpserver with a
// request callback), no web framework.
//
//   tools/run http_server [PORT]      serve http://127.0.0.1:PORT/ and /json (default 8888)
//   tools/run http_server --self-test start on a free port, fetch both pages, print them, exit
#include <typhoon/core.hpp>
#include <typhoon/http.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/net.hpp>

#include <boost/json.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

using boost::asio::awaitable;
using namespace typhoon;

awaitable<void> answer(httputil::HTTPServerRequest& request, httputil::HTTPConnection& connection) {
    httputil::HTTPHeaders headers;
    std::string body;
    int code = 200;
    if (request.path == "/") {
        headers.add("Content-Type", "text/plain");
        body = "Hello, world";
    } else if (request.path == "/json") {
        headers.add("Content-Type", "application/json; charset=UTF-8");
        body = escape::json_encode(boost::json::object{{"message", "Hello, World!"}});
    } else {
        code = 404;
        body = "Not Found";
    }
    headers.add("Content-Length", std::to_string(body.size()));
    co_await connection.write_headers({"HTTP/1.1", code, code == 200 ? "OK" : "Not Found"},
                                      std::move(headers), body);
    co_await connection.finish();
}

awaitable<void> fetch_and_print(std::uint16_t port, std::string path) {
    auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", port);
    co_await stream->write("GET " + path + " HTTP/1.0\r\n\r\n");
    const std::string response = co_await stream->read_until_close();
    std::cout << path << " -> " << response.substr(response.find("\r\n\r\n") + 4) << '\n';
}

}  // namespace

int main(int argc, char** argv) {
    const std::string first = argc > 1 ? argv[1] : "";
    httpserver::HTTPServer server(answer);
    auto& loop = ioloop::IOLoop::current();
    if (first == "--self-test") {
        server.listen(0, "127.0.0.1");
        const auto port = server.ports().at(0);
        loop.run_sync([port]() -> awaitable<void> {
            co_await fetch_and_print(port, "/");
            co_await fetch_and_print(port, "/json");
        });
        return 0;
    }
    const auto port = static_cast<std::uint16_t>(first.empty() ? 8888 : std::atoi(first.c_str()));
    server.listen(port);
    typhoon::log::gen_log.info("serving on http://localhost:" + std::to_string(port) + "/");
    loop.start();
}
