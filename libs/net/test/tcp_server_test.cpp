#include <typhoon/net/tcp_server.hpp>

#include "loop_fixture.hpp"

#include <typhoon/core/log_capture.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/net/tcp_client.hpp>

#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

using namespace typhoon;
using namespace std::chrono_literals;
using boost::asio::awaitable;

namespace {

/// Echoes lines; "boom\n" makes handle_stream throw, as a buggy application would.
class EchoServer final : public tcpserver::TCPServer {
public:
    using TCPServer::TCPServer;
    int connections = 0;
    std::string last_address;

protected:
    awaitable<void> handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                  std::string address) override {
        ++connections;
        last_address = address;
        try {
            for (;;) {
                const std::string line = co_await stream->read_until("\n");
                if (line == "boom\n") throw std::runtime_error("handler bug");
                co_await stream->write(line);
            }
        } catch (const iostream::StreamClosedError&) {
        }
    }
};

awaitable<std::string> round_trip(std::uint16_t port, std::string line) {
    auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", port);
    co_await stream->write(line);
    co_return co_await stream->read_until("\n");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(tcp_server_test, net_test::LoopFixture)

BOOST_AUTO_TEST_CASE(listen_serves_each_connection_with_handle_stream) {
    EchoServer server;
    server.listen(0, "127.0.0.1");
    const auto port = server.ports().at(0);
    run([&]() -> awaitable<void> {
        BOOST_TEST(co_await round_trip(port, "hello\n") == "hello\n");
        BOOST_TEST(co_await round_trip(port, "again\n") == "again\n");
    });
    BOOST_TEST(server.connections == 2);
    BOOST_TEST(server.last_address.starts_with("127.0.0.1:"));
}

BOOST_AUTO_TEST_CASE(an_exception_in_handle_stream_is_logged_and_the_server_goes_on) {
    EchoServer server;
    server.listen(0, "127.0.0.1");
    const auto port = server.ports().at(0);
    log::LogCapture errors{{.logger = &log::app_log}};
    run([&]() -> awaitable<void> {
        auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", port);
        co_await stream->write("boom\n");
        BOOST_CHECK_THROW(co_await stream->read_until("\n"),
                          iostream::StreamClosedError);  // closed by the server
        BOOST_TEST(co_await round_trip(port, "still here\n") == "still here\n");
    });
    BOOST_TEST_REQUIRE(errors.records().size() == 1u);
    BOOST_TEST(errors.records()[0].message == "Error in connection callback");
    BOOST_TEST(errors.records()[0].exception == "std::runtime_error: handler bug");
}

BOOST_AUTO_TEST_CASE(stop_refuses_new_connections_but_keeps_open_ones) {
    EchoServer server;
    server.listen(0, "127.0.0.1");
    const auto port = server.ports().at(0);
    run([&]() -> awaitable<void> {
        auto open = co_await tcpclient::TCPClient().connect("127.0.0.1", port);
        co_await open->write("1\n");
        BOOST_TEST(co_await open->read_until("\n") == "1\n");
        server.stop();
        co_await gen::moment();
        BOOST_CHECK_THROW(co_await tcpclient::TCPClient().connect("127.0.0.1", port),
                          iostream::StreamClosedError);
        co_await open->write("2\n");
        BOOST_TEST(co_await open->read_until("\n") == "2\n");
    });
}

BOOST_AUTO_TEST_CASE(bind_then_start_serves_in_this_process) {
    EchoServer server;
    server.bind(0, "127.0.0.1");
    server.start(1);
    const auto port = server.ports().at(0);
    run([&]() -> awaitable<void> {
        BOOST_TEST(co_await round_trip(port, "started\n") == "started\n");
    });
    BOOST_CHECK_THROW(server.start(1), Error);
}

BOOST_AUTO_TEST_CASE(serves_a_unix_socket) {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("typhoon-tcpserver-" + std::to_string(::getpid())))
                                 .string();
    EchoServer server;
    server.add_socket(netutil::bind_unix_socket(path));
    run([&]() -> awaitable<void> {
        boost::asio::local::stream_protocol::socket socket(loop.context());
        co_await socket.async_connect(boost::asio::local::stream_protocol::endpoint(path),
                                      boost::asio::use_awaitable);
        iostream::IOStream stream(std::move(socket));
        co_await stream.write("over unix\n");
        BOOST_TEST(co_await stream.read_until("\n") == "over unix\n");
    });
    BOOST_TEST(server.last_address == "");
    std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(one_loop_per_thread_on_a_shared_port) {
    // Two threads, each with its own loop and server, on one port with SO_REUSEPORT: the kernel
    // hands each connection to one of them, and between them they serve all.
    const auto port =
        netutil::bind_sockets(0, "127.0.0.1").front().port();  // a free port, released
    std::atomic<int> served{0};
    std::atomic<bool> done{false};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&] {
            ioloop::IOLoop thread_loop;
            EchoServer server;
            server.add_sockets(netutil::bind_sockets(port, "127.0.0.1", {.reuse_port = true}));
            ++ready;
            thread_loop.run_sync([&]() -> awaitable<void> {
                while (!done)
                    co_await gen::sleep(5ms);
            });
            served += server.connections;
        });
    }
    while (ready < 2)
        std::this_thread::sleep_for(1ms);
    run([&]() -> awaitable<void> {
        for (int i = 0; i < 40; ++i)
            BOOST_TEST(co_await round_trip(port, "x\n") == "x\n");
    });
    done = true;
    for (auto& thread : threads)
        thread.join();
    BOOST_TEST(served.load() == 40);
}

BOOST_AUTO_TEST_SUITE_END()
