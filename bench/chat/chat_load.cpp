// Load generator for bench/chat/run, on Beast's client: browsers of the WebSocket chat spread over
// several chat processes, and one poster per process.
//   chat_load PORTS LISTENERS SECONDS WINDOW
// PORTS is a comma-separated list of chat servers (each serving /chatsocket). On each port
// LISTENERS sockets join the chat; the first of them also posts, {"body": "<poster> <sent_ns>"},
// keeping up to WINDOW of its messages on their way (a new one each time one of its own comes
// back). Every socket counts what it receives. After SECONDS the posters stop, and what is still
// on its way is given 5 s to arrive. Prints, one per line: "posted N" (messages that came back to
// their poster), "deliveries N" (messages received by all sockets), "expected N" (posted times
// sockets: what deliveries must equal when nothing is lost), "messages_per_s", "deliveries_per_s",
// "p50_ms" and "p99_ms" (from post to receipt, over every delivery).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;
using Stream = websocket::stream<asio::ip::tcp::socket>;

namespace {

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

struct Shared {
    std::size_t sockets = 0, joined = 0, window = 1;
    bool posting = true;
    std::size_t posted = 0, deliveries = 0;
    std::int64_t posting_ended_ns = 0;
    std::vector<double> latencies_ms;
};

/// "<poster> <sent_ns>" out of the JSON message the chat sends ({"id", "body", "html"}).
bool parse_body(std::string_view json, int& poster, std::int64_t& sent_ns) {
    const auto at = json.find("\"body\"");
    if (at == std::string_view::npos) return false;
    const auto open = json.find('"', json.find(':', at) + 1);
    if (open == std::string_view::npos) return false;
    const char* p = json.data() + open + 1;
    const char* end = json.data() + json.size();
    auto [q, e1] = std::from_chars(p, end, poster);
    if (e1 != std::errc() || q == end || *q != ' ') return false;
    auto [r, e2] = std::from_chars(q + 1, end, sent_ns);
    return e2 == std::errc();
}

asio::awaitable<void> socket(Shared& shared, unsigned short port, int poster) {
    auto executor = co_await asio::this_coro::executor;
    Stream ws(executor);
    co_await beast::get_lowest_layer(ws).async_connect({asio::ip::make_address("127.0.0.1"), port},
                                                       asio::use_awaitable);
    beast::get_lowest_layer(ws).set_option(asio::ip::tcp::no_delay(true));
    co_await ws.async_handshake("127.0.0.1:" + std::to_string(port), "/chatsocket",
                                asio::use_awaitable);
    ++shared.joined;
    asio::steady_timer start(executor);
    while (shared.joined < shared.sockets) {  // nobody posts before every socket is in
        start.expires_after(std::chrono::milliseconds(5));
        co_await start.async_wait(asio::use_awaitable);
    }
    std::size_t in_flight = 0;
    auto post_more = [&]() -> asio::awaitable<void> {
        while (poster >= 0 && shared.posting && in_flight < shared.window) {
            ++in_flight;
            const std::string text =
                "{\"body\": \"" + std::to_string(poster) + " " + std::to_string(now_ns()) + "\"}";
            co_await ws.async_write(asio::buffer(text), asio::use_awaitable);
        }
    };
    co_await post_more();
    beast::flat_buffer buffer;
    for (;;) {
        beast::error_code ec;
        // Ends at the deadline (the timer below closes the socket) or when the server goes.
        co_await ws.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        const auto data = beast::buffers_to_string(buffer.data());
        buffer.consume(buffer.size());
        int from = -1;
        std::int64_t sent = 0;
        if (!parse_body(data, from, sent)) continue;
        ++shared.deliveries;
        shared.latencies_ms.push_back(static_cast<double>(now_ns() - sent) / 1e6);
        if (from == poster) {
            --in_flight;
            if (sent < shared.posting_ended_ns || shared.posting) ++shared.posted;
            co_await post_more();
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: chat_load PORTS LISTENERS SECONDS WINDOW\n";
        return 2;
    }
    std::vector<unsigned short> ports;
    std::stringstream list(argv[1]);
    for (std::string port; std::getline(list, port, ',');)
        ports.push_back(static_cast<unsigned short>(std::stoi(port)));
    const int listeners = std::atoi(argv[2]);
    const double seconds = std::atof(argv[3]);
    Shared shared;
    shared.window = static_cast<std::size_t>(std::atoi(argv[4]));
    shared.sockets = ports.size() * static_cast<std::size_t>(listeners);
    shared.latencies_ms.reserve(1 << 22);

    asio::io_context io;
    for (std::size_t p = 0; p < ports.size(); ++p)
        for (int i = 0; i < listeners; ++i)
            asio::co_spawn(io, socket(shared, ports[p], i == 0 ? static_cast<int>(p) : -1),
                           [](std::exception_ptr e) {
                               if (e) std::rethrow_exception(e);
                           });

    // Wait for every socket, then measure from the first post on.
    while (shared.joined < shared.sockets)
        io.run_one();
    const auto started = Clock::now();
    io.run_for(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)));
    shared.posting = false;
    shared.posting_ended_ns = now_ns();
    const auto elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    const auto posted_in_time = shared.posted;
    const auto delivered_in_time = shared.deliveries;
    io.run_for(std::chrono::seconds(5));  // what is on its way arrives, then the check below

    std::sort(shared.latencies_ms.begin(), shared.latencies_ms.end());
    auto quantile = [&](double q) {
        if (shared.latencies_ms.empty()) return 0.0;
        return shared.latencies_ms[static_cast<std::size_t>(
            q * static_cast<double>(shared.latencies_ms.size() - 1))];
    };
    std::printf("posted %zu\ndeliveries %zu\nexpected %zu\n", shared.posted, shared.deliveries,
                shared.posted * shared.sockets);
    std::printf("messages_per_s %.0f\ndeliveries_per_s %.0f\n",
                static_cast<double>(posted_in_time) / elapsed,
                static_cast<double>(delivered_in_time) / elapsed);
    std::printf("p50_ms %.2f\np99_ms %.2f\n", quantile(0.50), quantile(0.99));
    return 0;
}
