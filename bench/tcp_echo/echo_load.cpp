// Load for the echo benchmark: CONNECTIONS clients, each sending a 64-byte line and waiting for
// its echo, over and over for SECONDS. Prints "ns_per_roundtrip <wall time / round trips>".
//   echo_load PORT [CONNECTIONS=32] [SECONDS=3]
#include <typhoon/ioloop.hpp>
#include <typhoon/net.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

using boost::asio::awaitable;
using namespace typhoon;

namespace {

/// One client: a line out, its echo back, until `end`. Parameters by value: the coroutine
/// outlives the loop that starts it.
awaitable<void> client(std::uint16_t port, std::string line,
                       std::chrono::steady_clock::time_point end, long long& round_trips) {
    auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", port);
    stream->set_nodelay(true);
    while (std::chrono::steady_clock::now() < end) {
        co_await stream->write(line);
        co_await stream->read_until("\n");
        ++round_trips;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: echo_load PORT [CONNECTIONS] [SECONDS]\n";
        return 2;
    }
    const auto port = static_cast<std::uint16_t>(std::atoi(argv[1]));
    const int connections = argc > 2 ? std::atoi(argv[2]) : 32;
    const auto duration = std::chrono::seconds(argc > 3 ? std::atoi(argv[3]) : 3);
    const std::string line = std::string(63, 'x') + "\n";
    long long round_trips = 0;
    auto& loop = ioloop::IOLoop::current();
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + duration;
    loop.run_sync([&]() -> awaitable<void> {
        std::vector<awaitable<void>> clients;
        for (int c = 0; c < connections; ++c)
            clients.push_back(client(port, line, end, round_trips));
        co_await gen::multi(std::move(clients));
    });
    const double elapsed =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    std::cout << "ns_per_roundtrip " << elapsed / static_cast<double>(round_trips) << '\n';
}
