// The ceiling for anything built on Beast: a hand-written keep-alive server answering
// "Hello, world" with Beast's parser and serializer and nothing else. bench/http/run compares
// Typhoon's HTTPServer with it.   raw_beast_server PORT
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdlib>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

asio::awaitable<void> session(asio::ip::tcp::socket socket) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
        http::request<http::string_body> request;
        co_await http::async_read(socket, buffer, request,
                                  asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        http::response<http::string_body> response{http::status::ok, request.version()};
        response.set(http::field::content_type, "text/plain");
        response.body() = "Hello, world";
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        co_await http::async_write(socket, response, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !response.keep_alive()) break;
    }
    socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> listen(asio::ip::tcp::acceptor acceptor) {
    for (;;) {
        auto socket = co_await acceptor.async_accept(asio::use_awaitable);
        asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), asio::detached);
    }
}

}  // namespace

int main(int argc, char** argv) {
    asio::io_context context(1);
    const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 8890);
    asio::ip::tcp::acceptor acceptor(context, {asio::ip::make_address("127.0.0.1"), port});
    asio::co_spawn(context, listen(std::move(acceptor)), asio::detached);
    context.run();
}
