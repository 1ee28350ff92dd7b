#include <typhoon/net/tcp_client.hpp>

#include "loop_fixture.hpp"

#include <typhoon/ioloop/gen.hpp>
#include <typhoon/net/tcp_server.hpp>

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace std::chrono_literals;
using boost::asio::awaitable;

namespace {

/// Answers each connection with the peer address it sees, then closes.
class WhoAmIServer final : public tcpserver::TCPServer {
protected:
    awaitable<void> handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                  std::string address) override {
        co_await stream->write(address + "\n");
    }
};

/// Never answers: stands in for a slow DNS server.
class StuckResolver final : public netutil::Resolver {
public:
    awaitable<std::vector<boost::asio::ip::tcp::endpoint>> resolve(std::string, std::uint16_t,
                                                                   netutil::Family) override {
        co_await gen::sleep(1h);
        co_return std::vector<boost::asio::ip::tcp::endpoint>{};
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(tcp_client_test, net_test::LoopFixture)

BOOST_AUTO_TEST_CASE(connects_and_reports_a_refused_connection) {
    const auto port = netutil::bind_sockets(0, "127.0.0.1").front().port();  // free once released
    run([&]() -> awaitable<void> {
        try {
            co_await tcpclient::TCPClient().connect("127.0.0.1", port);
            BOOST_FAIL("connected to a closed port");
        } catch (const iostream::StreamClosedError& e) {
            BOOST_TEST(e.real_error() == boost::asio::error::connection_refused);
        }
    });
}

BOOST_AUTO_TEST_CASE(source_port_is_the_one_the_server_sees) {
    WhoAmIServer server;
    server.listen(0, "127.0.0.1");
    const auto source_port = netutil::bind_sockets(0, "127.0.0.1").front().port();
    run([&]() -> awaitable<void> {
        auto stream = co_await tcpclient::TCPClient().connect("localhost", server.ports().at(0),
                                                              {.family = netutil::Family::inet,
                                                               .source_ip = "127.0.0.1",
                                                               .source_port = source_port});
        BOOST_TEST(co_await stream->read_until("\n") ==
                   "127.0.0.1:" + std::to_string(source_port) + "\n");
    });
}

BOOST_AUTO_TEST_CASE(timeout_covers_name_resolution) {
    run([&]() -> awaitable<void> {
        tcpclient::TCPClient client(std::make_shared<StuckResolver>());
        BOOST_CHECK_THROW(co_await client.connect("example.invalid", 80, {.timeout = 100ms}),
                          gen::TimeoutError);
    });
}

BOOST_AUTO_TEST_SUITE_END()
