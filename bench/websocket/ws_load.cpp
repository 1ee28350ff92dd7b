// WebSocket load generator for bench/websocket/run, on Beast's client.
//   ws_load echo PORT PATH CONNECTIONS SECONDS   each connection sends a 32-byte text message
//                                               and waits for its echo, again and again; prints
//                                               "messages N", "messages_per_s R", "p50_ms",
//                                               "p99_ms"
//   ws_load deflate PORT PATH MESSAGES SIZE      one connection offering permessage-deflate
//                                               (Beast's client defaults) sends MESSAGES text
//                                               messages of SIZE bytes (deflate_payload.hpp),
//                                               each after the echo of the last, and checks
//                                               each echo; prints "messages N", "seconds S"
//   ws_load idle PORT PATH CONNECTIONS           opens the connections (handshake and one echo
//                                               each), prints "ready", holds them until stdin
//                                               closes
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "deflate_payload.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;
using Stream = websocket::stream<asio::ip::tcp::socket>;

namespace {

struct Shared {
    unsigned short port = 0;
    std::string path;
    Clock::time_point stop;
    std::vector<double> latencies_ms;
    std::size_t open = 0, failed = 0;
};

asio::awaitable<std::unique_ptr<Stream>> open(Shared& shared) {
    auto executor = co_await asio::this_coro::executor;
    auto ws = std::make_unique<Stream>(executor);
    co_await beast::get_lowest_layer(*ws).async_connect(
        {asio::ip::make_address("127.0.0.1"), shared.port}, asio::use_awaitable);
    beast::get_lowest_layer(*ws).set_option(asio::ip::tcp::no_delay(true));
    co_await ws->async_handshake("127.0.0.1", shared.path, asio::use_awaitable);
    co_return ws;
}

asio::awaitable<void> echo_loop(Shared& shared) {
    try {
        auto ws = co_await open(shared);
        const std::string message(32, 'm');
        beast::flat_buffer buffer;
        while (Clock::now() < shared.stop) {
            const auto start = Clock::now();
            co_await ws->async_write(asio::buffer(message), asio::use_awaitable);
            co_await ws->async_read(buffer, asio::use_awaitable);
            buffer.consume(buffer.size());
            shared.latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        }
        beast::error_code ec;
        co_await ws->async_close(websocket::close_code::normal,
                                 asio::redirect_error(asio::use_awaitable, ec));
    } catch (const std::exception&) {
        ++shared.failed;
    }
}

/// The deflate workload; false when an echo differs from what was sent or the connection fails.
asio::awaitable<bool> deflate_echo(Shared& shared, std::size_t messages, std::size_t size) {
    auto executor = co_await asio::this_coro::executor;
    Stream ws(executor);
    websocket::permessage_deflate deflate;
    deflate.client_enable = true;
    ws.set_option(deflate);
    ws.read_message_max(2 * size + 1024);
    co_await beast::get_lowest_layer(ws).async_connect(
        {asio::ip::make_address("127.0.0.1"), shared.port}, asio::use_awaitable);
    beast::get_lowest_layer(ws).set_option(asio::ip::tcp::no_delay(true));
    websocket::response_type response;
    co_await ws.async_handshake(response, "127.0.0.1", shared.path, asio::use_awaitable);
    if (response[beast::http::field::sec_websocket_extensions].find("permessage-deflate") ==
        beast::string_view::npos) {
        std::cerr << "ws_load: the server did not accept permessage-deflate\n";
        co_return false;
    }
    beast::flat_buffer buffer;
    for (std::size_t i = 0; i < messages; ++i) {
        const std::string message = bench::deflate_payload(size, static_cast<std::uint32_t>(i));
        ws.text(true);
        co_await ws.async_write(asio::buffer(message), asio::use_awaitable);
        co_await ws.async_read(buffer, asio::use_awaitable);
        if (beast::buffers_to_string(buffer.data()) != message) {
            std::cerr << "ws_load: echo " << i << " differs from what was sent\n";
            co_return false;
        }
        buffer.consume(buffer.size());
    }
    beast::error_code ec;
    co_await ws.async_close(websocket::close_code::normal,
                            asio::redirect_error(asio::use_awaitable, ec));
    co_return true;
}

asio::awaitable<void> idle_one(Shared& shared, std::vector<std::unique_ptr<Stream>>& held,
                               std::size_t total) {
    try {
        auto ws = co_await open(shared);
        const std::string message = "x";
        beast::flat_buffer buffer;
        co_await ws->async_write(asio::buffer(message), asio::use_awaitable);
        co_await ws->async_read(buffer, asio::use_awaitable);
        held.push_back(std::move(ws));
    } catch (const std::exception&) {
        ++shared.failed;
    }
    if (++shared.open == total) {
        std::cout << "ready " << held.size() << std::endl;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::cerr << "usage: ws_load echo|idle PORT PATH CONNECTIONS [SECONDS]\n"
                     "       ws_load deflate PORT PATH MESSAGES SIZE\n";
        return 2;
    }
    const std::string mode = argv[1];
    Shared shared;
    shared.port = static_cast<unsigned short>(std::atoi(argv[2]));
    shared.path = argv[3];
    const auto connections = static_cast<std::size_t>(std::atoll(argv[4]));
    asio::io_context context(1);
    if (mode == "deflate") {
        const auto messages = connections;
        const auto size = static_cast<std::size_t>(argc > 5 ? std::atoll(argv[5]) : 131072);
        bool ok = false;
        const auto start = Clock::now();
        asio::co_spawn(context, deflate_echo(shared, messages, size),
                       [&](std::exception_ptr error, bool result) {
                           ok = !error && result;
                           if (error) std::cerr << "ws_load: the connection failed\n";
                       });
        context.run();
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        std::printf("messages %zu\nseconds %.3f\n", messages, elapsed);
        return ok ? 0 : 1;
    }
    if (mode == "echo") {
        const double seconds = argc > 5 ? std::atof(argv[5]) : 5.0;
        const auto start = Clock::now();
        shared.stop = start + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(seconds));
        for (std::size_t i = 0; i < connections; ++i)
            asio::co_spawn(context, echo_loop(shared), asio::detached);
        context.run();
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        auto& l = shared.latencies_ms;
        std::sort(l.begin(), l.end());
        const auto at = [&](double q) {
            return l.empty() ? 0.0
                             : l[std::min(l.size() - 1, static_cast<std::size_t>(q * l.size()))];
        };
        std::printf("messages %zu\nmessages_per_s %.1f\np50_ms %.4f\np99_ms %.4f\nfailed %zu\n",
                    l.size(), l.size() / elapsed, at(0.50), at(0.99), shared.failed);
        return shared.failed == 0 ? 0 : 1;
    }
    std::vector<std::unique_ptr<Stream>> held;
    held.reserve(connections);
    // Opened a few hundred at a time, so that the server's accept backlog never overflows.
    asio::co_spawn(
        context,
        [&]() -> asio::awaitable<void> {
            for (std::size_t i = 0; i < connections; ++i) {
                asio::co_spawn(context, idle_one(shared, held, connections), asio::detached);
                if (i % 200 == 199) {
                    asio::steady_timer pause(context, std::chrono::milliseconds(20));
                    co_await pause.async_wait(asio::use_awaitable);
                }
            }
        },
        asio::detached);
    context.run();
    std::string line;
    std::getline(std::cin, line);  // held until the bench script says so
    return shared.failed == 0 ? 0 : 1;
}
