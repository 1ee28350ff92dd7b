#include <typhoon/http.hpp>
#include <typhoon/http/http_server.hpp>

#include <iostream>

int main() {
    // Links the whole network stack: an HTTP server bound to a free port, then stopped.
    typhoon::httpserver::HTTPServer server(
        [](typhoon::httputil::HTTPServerRequest&,
           typhoon::httputil::HTTPConnection&) -> boost::asio::awaitable<void> { co_return; });
    server.listen(0, "127.0.0.1");
    std::cout << "http_consumer: listening on port " << server.ports().at(0) << '\n';
    server.stop();
    return server.ports().at(0) != 0 ? 0 : 1;
}
