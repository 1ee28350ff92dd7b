// tcp_echo: Tornado's TCPServer/TCPClient example in Typhoon: an echo server and a client.
//
//   tools/run tcp_echo                     both in one process: echo three lines and exit
//   tools/run tcp_echo server 8889         serve until interrupted
//   tools/run tcp_echo client 8889 hi yo   send each word as a line, print the echoes
#include <typhoon/core/log.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/net.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

using boost::asio::awaitable;
using namespace typhoon;

class EchoServer final : public tcpserver::TCPServer {
protected:
    awaitable<void> handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                  std::string address) override {
        stream->set_nodelay(true);
        try {
            for (;;)
                co_await stream->write(co_await stream->read_until("\n"));
        } catch (const iostream::StreamClosedError&) {
            log::gen_log.debug("connection from " + address + " closed");
        }
    }
};

awaitable<void> run_client(std::uint16_t port, std::vector<std::string> lines) {
    auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", port);
    for (const auto& line : lines) {
        co_await stream->write(line + "\n");
        std::cout << "echo: " << co_await stream->read_until("\n");
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "demo";
    auto& loop = ioloop::IOLoop::current();
    if (mode == "server") {
        const auto port = static_cast<std::uint16_t>(argc > 2 ? std::atoi(argv[2]) : 8889);
        EchoServer server;
        server.listen(port, "127.0.0.1");
        log::gen_log.info("echoing on 127.0.0.1:" + std::to_string(port));
        loop.start();
    } else if (mode == "client") {
        const auto port = static_cast<std::uint16_t>(argc > 2 ? std::atoi(argv[2]) : 8889);
        loop.run_sync([&]() {
            return run_client(port,
                              std::vector<std::string>(argv + std::min(argc, 3), argv + argc));
        });
    } else {
        EchoServer server;
        server.listen(0, "127.0.0.1");
        loop.run_sync([&]() { return run_client(server.ports().at(0), {"one", "two", "three"}); });
    }
}
