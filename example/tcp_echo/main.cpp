// tcp_echo: Tornado's TCPServer/TCPClient example in Typhoon: an echo server and a client.
//
//   tools/run tcp_echo                     both in one process: echo three lines and exit
//   tools/run tcp_echo server 8889         serve until interrupted
//   tools/run tcp_echo client 8889 hi yo   send each word as a line, print the echoes
//   tools/run tcp_echo tls                 the demo over TLS, with a certificate made at start
#include <typhoon/core/log.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/net.hpp>

#include <boost/asio/ssl/context.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

using boost::asio::awaitable;
using namespace typhoon;

class EchoServer final : public tcpserver::TCPServer {
public:
    using TCPServer::TCPServer;

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

awaitable<void> run_client(std::uint16_t port, std::vector<std::string> lines,
                           tcpclient::ConnectOptions options = {}) {
    // "localhost": the name a TLS client checks the certificate against.
    auto stream = co_await tcpclient::TCPClient().connect(
        options.ssl_context ? "localhost" : "127.0.0.1", port, options);
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
    } else if (mode == "tls") {
        // Both contexts from the one factory: the server's certificate, and a client that
        // verifies it (trusting exactly this self-signed one) and its name.
        const auto certificate = netutil::make_self_signed_certificate("localhost");
        EchoServer server({.ssl_context = netutil::ssl_options_to_context(
                               {.certificate_pem = certificate.certificate_pem,
                                .private_key_pem = certificate.private_key_pem},
                               true)});
        server.listen(0, "127.0.0.1");
        auto client = netutil::ssl_options_to_context({}, false);
        client->add_certificate_authority(boost::asio::buffer(certificate.certificate_pem));
        loop.run_sync([&]() {
            return run_client(server.ports().at(0), {"one", "two", "three"},
                              {.family = netutil::Family::inet, .ssl_context = client});
        });
    } else {
        EchoServer server;
        server.listen(0, "127.0.0.1");
        loop.run_sync([&]() { return run_client(server.ports().at(0), {"one", "two", "three"}); });
    }
}
