#include <typhoon/net/stream.hpp>

#include "loop_fixture.hpp"
#include "self_signed.hpp"

#include <typhoon/core/error.hpp>
#include <typhoon/net/iostream.hpp>
#include <typhoon/net/prefixed_stream.hpp>
#include <typhoon/net/ssl_options.hpp>
#include <typhoon/net/tcp_client.hpp>
#include <typhoon/net/tcp_server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/test/unit_test.hpp>

using namespace typhoon;
using boost::asio::awaitable;
namespace asio = boost::asio;

namespace {

/// Reads the socket itself, as a protocol server does: no IOStream, the accepted socket as is.
class RawServer final : public tcpserver::TCPServer {
public:
    using TCPServer::TCPServer;
    bool was_plain_tcp = false;
    std::string address;

protected:
    awaitable<void> handle_connection(iostream::Stream stream, std::string peer) override {
        was_plain_tcp = stream.tcp() != nullptr && stream.buffered.empty();
        address = std::move(peer);
        auto socket = stream.take_tcp();
        char line[6];
        co_await asio::async_read(socket, asio::buffer(line), asio::use_awaitable);
        co_await asio::async_write(socket, asio::buffer(std::string("raw:") + std::string(line, 6)),
                                   asio::use_awaitable);
    }
};

class EchoServer final : public tcpserver::TCPServer {
public:
    using TCPServer::TCPServer;

protected:
    awaitable<void> handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                  std::string) override {
        co_await stream->write(co_await stream->read_until("\n"));
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(stream_test, net_test::LoopFixture)

BOOST_AUTO_TEST_CASE(an_iostream_reads_the_buffered_bytes_first) {
    asio::local::stream_protocol::socket a(loop.context()), b(loop.context());
    asio::local::connect_pair(a, b);
    run([&]() -> awaitable<void> {
        iostream::IOStream reader(iostream::Stream(std::move(a), "already read\n"));
        iostream::IOStream writer(std::move(b));
        co_await writer.write("from the socket\n");
        BOOST_TEST(co_await reader.read_until("\n") == "already read\n");
        BOOST_TEST(co_await reader.read_until("\n") == "from the socket\n");
    });
}

BOOST_AUTO_TEST_CASE(a_prefixed_stream_yields_the_prefix_then_the_socket) {
    asio::local::stream_protocol::socket a(loop.context()), b(loop.context());
    asio::local::connect_pair(a, b);
    run([&]() -> awaitable<void> {
        iostream::PrefixedStream<iostream::UnixSocket> prefixed(std::move(a), "abc");
        co_await asio::async_write(b, asio::buffer(std::string("def")), asio::use_awaitable);
        std::string got(6, '\0');
        co_await asio::async_read(prefixed, asio::buffer(got), asio::use_awaitable);
        BOOST_TEST(got == "abcdef");
    });
}

BOOST_AUTO_TEST_CASE(taking_the_wrong_kind_of_socket_is_an_error_and_keeps_the_socket) {
    asio::local::stream_protocol::socket a(loop.context()), b(loop.context());
    asio::local::connect_pair(a, b);
    iostream::Stream stream(std::move(a));
    BOOST_CHECK_THROW(stream.take_tcp(), Error);
    BOOST_CHECK_THROW(stream.take_tls(), Error);
    BOOST_TEST(static_cast<bool>(stream));
    BOOST_TEST(stream.unix_socket() != nullptr);
    BOOST_TEST(stream.peer_address() == "");
    auto socket = stream.take_unix();
    BOOST_TEST(!stream);
    BOOST_TEST(socket.is_open());
}

BOOST_AUTO_TEST_CASE(moving_a_stream_over_another_closes_the_one_it_held) {
    asio::local::stream_protocol::socket a(loop.context()), b(loop.context());
    asio::local::stream_protocol::socket c(loop.context()), d(loop.context());
    asio::local::connect_pair(a, b);
    asio::local::connect_pair(c, d);
    iostream::Stream held(std::move(a), "old");
    held = iostream::Stream(std::move(c), "new");
    BOOST_TEST(held.buffered == "new");
    BOOST_TEST(held.unix_socket() != nullptr);
    // The peer of the socket it held sees the end of the stream.
    char byte;
    boost::system::error_code ec;
    b.read_some(asio::buffer(&byte, 1), ec);
    BOOST_TEST(ec == asio::error::eof);
}

BOOST_AUTO_TEST_CASE(a_server_can_take_the_accepted_socket_itself) {
    RawServer server;
    server.listen(0, "127.0.0.1");
    run([&]() -> awaitable<void> {
        auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", server.ports().at(0));
        co_await stream->write("hello!");
        BOOST_TEST(co_await stream->read_bytes(10) == "raw:hello!");
    });
    BOOST_TEST(server.was_plain_tcp);
    BOOST_TEST(server.address.rfind("127.0.0.1:", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(connect_socket_hands_back_a_tls_connection_checked_against_the_host) {
    const auto certificate = net_test::make_self_signed("localhost");
    EchoServer server({.ssl_context = netutil::ssl_options_to_context(
                           {.certificate_pem = certificate.certificate_pem,
                            .private_key_pem = certificate.private_key_pem},
                           true)});
    server.listen(0, "127.0.0.1");
    auto client_context = netutil::ssl_options_to_context({}, false);
    client_context->add_certificate_authority(asio::buffer(certificate.certificate_pem));
    run([&]() -> awaitable<void> {
        auto stream = co_await tcpclient::TCPClient().connect_socket(
            "localhost", server.ports().at(0), {.ssl_context = client_context});
        auto* tls = stream.tls();
        BOOST_REQUIRE(tls != nullptr);
        BOOST_TEST(stream.peer_address().rfind("127.0.0.1:", 0) == 0u);
        co_await asio::async_write(*tls, asio::buffer(std::string("over tls\n")),
                                   asio::use_awaitable);
        iostream::IOStream io(std::move(stream));
        BOOST_TEST(co_await io.read_until("\n") == "over tls\n");

        // The same certificate does not name 127.0.0.1: verification refuses it.
        try {
            co_await tcpclient::TCPClient().connect_socket("127.0.0.1", server.ports().at(0),
                                                           {.ssl_context = client_context});
            BOOST_FAIL("a certificate for localhost was accepted for 127.0.0.1");
        } catch (const iostream::StreamClosedError& e) {
            BOOST_TEST(e.real_error().message().find("certificate verify failed") !=
                       std::string::npos);
        }
    });
}

BOOST_AUTO_TEST_SUITE_END()
