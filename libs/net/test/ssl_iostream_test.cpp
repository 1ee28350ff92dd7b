#include <typhoon/net/ssl_iostream.hpp>

#include "loop_fixture.hpp"
#include "self_signed.hpp"

#include <typhoon/core/log_capture.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/net/tcp_client.hpp>
#include <typhoon/net/tcp_server.hpp>

#include <boost/asio/ssl.hpp>
#include <boost/test/unit_test.hpp>

using namespace typhoon;
using boost::asio::awaitable;
namespace ssl = boost::asio::ssl;

namespace {

class TLSEchoServer final : public tcpserver::TCPServer {
public:
    using TCPServer::TCPServer;

protected:
    awaitable<void> handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                  std::string) override {
        try {
            for (;;)
                co_await stream->write(co_await stream->read_until("\n"));
        } catch (const iostream::StreamClosedError&) {
        }
    }
};

struct TLSFixture : net_test::LoopFixture {
    net_test::Certificate certificate = net_test::make_self_signed("localhost");
    std::shared_ptr<ssl::context> server_context =
        std::make_shared<ssl::context>(ssl::context::tls_server);
    std::shared_ptr<ssl::context> client_context =
        std::make_shared<ssl::context>(ssl::context::tls_client);

    TLSFixture() {
        server_context->use_certificate_chain(boost::asio::buffer(certificate.certificate_pem));
        server_context->use_private_key(boost::asio::buffer(certificate.private_key_pem),
                                        ssl::context::pem);
        // The client trusts exactly this certificate and checks the host name, as a browser would.
        client_context->add_certificate_authority(boost::asio::buffer(certificate.certificate_pem));
        client_context->set_verify_mode(ssl::verify_peer);
        client_context->set_verify_callback(ssl::host_name_verification("localhost"));
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(ssl_iostream_test, TLSFixture)

BOOST_AUTO_TEST_CASE(a_tls_server_and_client_exchange_lines) {
    TLSEchoServer server({.ssl_context = server_context});
    server.listen(0, "127.0.0.1");
    run([&]() -> awaitable<void> {
        auto stream = co_await tcpclient::TCPClient().connect(
            "localhost", server.ports().at(0),
            {.family = netutil::Family::inet, .ssl_context = client_context});
        co_await stream->write("secret\n");
        BOOST_TEST(co_await stream->read_until("\n") == "secret\n");
    });
}

BOOST_AUTO_TEST_CASE(a_certificate_for_another_host_is_refused) {
    TLSEchoServer server({.ssl_context = server_context});
    server.listen(0, "127.0.0.1");
    client_context->set_verify_callback(ssl::host_name_verification("example.com"));
    log::LogCapture server_side{{.logger = &log::gen_log}};  // the server logs the failed handshake
    run([&]() -> awaitable<void> {
        BOOST_CHECK_THROW(co_await tcpclient::TCPClient().connect("127.0.0.1", server.ports().at(0),
                                                                  {.ssl_context = client_context}),
                          iostream::StreamClosedError);
    });
}

BOOST_AUTO_TEST_CASE(a_plain_client_does_not_crash_a_tls_server) {
    TLSEchoServer server({.ssl_context = server_context});
    server.listen(0, "127.0.0.1");
    log::LogCapture warnings{{.logger = &log::gen_log}};
    run([&]() -> awaitable<void> {
        auto plain = co_await tcpclient::TCPClient().connect("127.0.0.1", server.ports().at(0));
        co_await plain->write("GET / HTTP/1.0\r\n\r\n");
        try {  // the server hangs up: cleanly after a TLS alert, or with a reset
            (void)co_await plain->read_until_close();
        } catch (const iostream::StreamClosedError&) {
        }
        BOOST_TEST(plain->closed());
        auto good = co_await tcpclient::TCPClient().connect(
            "localhost", server.ports().at(0),
            {.family = netutil::Family::inet, .ssl_context = client_context});
        co_await good->write("fine\n");
        BOOST_TEST(co_await good->read_until("\n") == "fine\n");
    });
    BOOST_TEST(warnings.contains("SSL Error on connection from 127.0.0.1:"));
}

BOOST_AUTO_TEST_CASE(start_tls_upgrades_a_plain_connection) {
    // As SMTP's STARTTLS: a plain exchange first, then both sides switch to TLS on the same socket.
    auto [client_socket, server_socket] = [&] {
        boost::asio::ip::tcp::acceptor acceptor(loop.context(),
                                                {boost::asio::ip::make_address("127.0.0.1"), 0});
        boost::asio::ip::tcp::socket a(loop.context()), b(loop.context());
        a.connect(acceptor.local_endpoint());
        acceptor.accept(b);
        return std::pair{std::move(a), std::move(b)};
    }();
    auto client = std::make_unique<iostream::IOStream>(std::move(client_socket));
    auto server = std::make_unique<iostream::IOStream>(std::move(server_socket));
    run([&]() -> awaitable<void> {
        co_await client->write("STARTTLS\n");
        BOOST_TEST(co_await server->read_until("\n") == "STARTTLS\n");
        auto server_side = [&]() -> awaitable<void> {
            auto tls = co_await iostream::start_tls(std::move(server), *server_context,
                                                    {.server_side = true});
            co_await tls->write(co_await tls->read_until("\n"));
        };
        auto client_side = [&]() -> awaitable<void> {
            auto tls = co_await iostream::start_tls(std::move(client), *client_context,
                                                    {.server_hostname = "localhost"});
            co_await tls->write("encrypted\n");
            BOOST_TEST(co_await tls->read_until("\n") == "encrypted\n");
        };
        std::vector<awaitable<void>> both;
        both.push_back(server_side());
        both.push_back(client_side());
        co_await gen::multi(std::move(both));
    });
}

BOOST_AUTO_TEST_CASE(start_tls_refuses_a_stream_that_is_not_tcp) {
    auto [a, b] = stream_pair();
    run([&]() -> awaitable<void> {
        BOOST_CHECK_THROW(co_await iostream::start_tls(std::move(a), *client_context),
                          Error);  // not TCP
    });
}

BOOST_AUTO_TEST_SUITE_END()
