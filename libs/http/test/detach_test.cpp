// HTTPConnection::detach(): the application takes the connection over after the request headers
// (as a WebSocket does), with the bytes the server had read past them, over plain TCP and TLS;
// the server forgets the connection.
#include <typhoon/http/http_connection.hpp>

#include <typhoon/http/http_input_error.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/net/tcp_client.hpp>

#include "self_signed.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace asio = boost::asio;

namespace {

/// Speaks a toy protocol on the taken-over stream: says what it had been handed and how many
/// connections the server still counts, then echoes one read back.
template <class Stream>
awaitable<void> speak(Stream& stream, const std::string& buffered, std::size_t connections) {
    const std::string hello = "HTTP/1.1 101 Switching Protocols\r\n\r\nbuffered=" + buffered +
                              ";connections=" + std::to_string(connections) + ";";
    co_await asio::async_write(stream, asio::buffer(hello), asio::use_awaitable);
    char chunk[256];
    auto [ec, n] =
        co_await stream.async_read_some(asio::buffer(chunk), asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    const std::string echo = "echo=" + std::string(chunk, n);
    co_await asio::async_write(stream, asio::buffer(echo), asio::use_awaitable);
}

class Takeover final : public httputil::HTTPMessageDelegate,
                       public httputil::HTTPServerConnectionDelegate {
public:
    httpserver::HTTPServer* server = nullptr;
    awaitable<void> finish(httputil::HTTPServerRequest&,
                           httputil::HTTPConnection& connection) override {
        auto detached = connection.detach();
        const auto count = server->connection_count();
        if (auto* tls = detached.tls()) {
            co_await speak(*tls, detached.buffered, count);
        } else {
            co_await speak(*detached.tcp(), detached.buffered, count);
        }
    }
    std::unique_ptr<httputil::HTTPMessageDelegate> start_request() override {
        auto delegate = std::make_unique<Takeover>();
        delegate->server = server;
        return delegate;
    }
};

std::string exchange(std::uint16_t port, std::shared_ptr<asio::ssl::context> tls) {
    ioloop::IOLoop& loop = ioloop::IOLoop::current();
    return loop.run_sync(
        [&]() -> awaitable<std::string> {
            auto stream = co_await tcpclient::TCPClient().connect(
                "localhost", port, {.family = netutil::Family::inet, .ssl_context = tls});
            // The request and the first bytes of the new protocol in one write: the server reads
            // past the header block and must hand those bytes over.
            co_await stream->write("GET /up HTTP/1.1\r\nHost: x\r\n\r\nearly");
            std::string got = co_await stream->read_until("connections=0;");
            co_await stream->write("later");
            got += co_await stream->read_bytes(std::string_view("echo=later").size());
            co_return got;
        },
        10s);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(detach_test)

BOOST_AUTO_TEST_CASE(a_plain_connection_is_handed_over_with_the_bytes_read_past_the_request) {
    ioloop::IOLoop loop;
    Takeover app;
    httpserver::HTTPServer server(app);
    app.server = &server;
    server.listen(0, "127.0.0.1");
    const auto got = exchange(server.ports().at(0), nullptr);
    BOOST_TEST(got.ends_with("buffered=early;connections=0;echo=later"));
}

BOOST_AUTO_TEST_CASE(a_tls_connection_is_handed_over_after_its_handshake) {
    ioloop::IOLoop loop;
    const auto certificate = net_test::make_self_signed("localhost");
    auto server_context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    server_context->use_certificate_chain(asio::buffer(certificate.certificate_pem));
    server_context->use_private_key(asio::buffer(certificate.private_key_pem),
                                    asio::ssl::context::pem);
    auto client_context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    client_context->add_certificate_authority(asio::buffer(certificate.certificate_pem));
    client_context->set_verify_mode(asio::ssl::verify_peer);
    Takeover app;
    httpserver::HTTPServer server(app, {.ssl_context = server_context});
    app.server = &server;
    server.listen(0, "127.0.0.1");
    const auto got = exchange(server.ports().at(0), client_context);
    BOOST_TEST(got.ends_with("buffered=early;connections=0;echo=later"));
}

BOOST_AUTO_TEST_CASE(a_connection_that_cannot_be_detached_says_so) {
    class Plain final : public httputil::HTTPConnection {
    public:
        awaitable<void> write_headers(httputil::ResponseStartLine, httputil::HTTPHeaders,
                                      std::string_view) override {
            co_return;
        }
        awaitable<void> write(std::string_view) override { co_return; }
        awaitable<void> flush() override { co_return; }
        awaitable<void> finish() override { co_return; }
    } connection;
    BOOST_CHECK_THROW(connection.detach(), httputil::HTTPOutputError);
}

BOOST_AUTO_TEST_SUITE_END()
