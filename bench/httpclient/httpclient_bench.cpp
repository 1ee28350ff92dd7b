// Fetches one URL in a loop with AsyncHTTPClient and prints microseconds per fetch:
//   sequential_us   one fetch after the other, on a kept-alive connection
//   close_us        one after the other with "Connection: close" (a new connection each time,
//                   which is what Tornado's simple client always does)
//   concurrent_us   10 fetches in flight at a time (max_clients 10), per fetch
// Usage: httpclient_bench URL [N]. bench/httpclient/run compares it with Tornado's client.
#include <typhoon/http/http_client.hpp>
#include <typhoon/ioloop.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

using boost::asio::awaitable;
using typhoon::httpclient::AsyncHTTPClient;
using typhoon::httpclient::HTTPRequest;

namespace {

double micros_per(std::chrono::steady_clock::duration elapsed, int n) {
    return std::chrono::duration<double, std::micro>(elapsed).count() / n;
}

awaitable<void> fetch_many(AsyncHTTPClient& client, std::string url, int n, HTTPRequest request) {
    for (int i = 0; i < n; ++i)
        (void)co_await client.fetch(url, request);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: httpclient_bench URL [N]\n";
        return 2;
    }
    const std::string url = argv[1];
    const int n = argc > 2 ? std::stoi(argv[2]) : 2000;
    typhoon::ioloop::IOLoop loop;
    AsyncHTTPClient client({.max_clients = 10});
    HTTPRequest close_request;
    close_request.headers.add("Connection", "close");
    loop.run_sync([&]() -> awaitable<void> {
        co_await fetch_many(client, url, 100, {});  // warm up
        auto start = std::chrono::steady_clock::now();
        co_await fetch_many(client, url, n, {});
        std::printf("sequential_us %.2f\n",
                    micros_per(std::chrono::steady_clock::now() - start, n));
        start = std::chrono::steady_clock::now();
        co_await fetch_many(client, url, n / 4, close_request);
        std::printf("close_us %.2f\n", micros_per(std::chrono::steady_clock::now() - start, n / 4));
        start = std::chrono::steady_clock::now();
        std::vector<awaitable<void>> workers;
        for (int w = 0; w < 10; ++w)
            workers.push_back(fetch_many(client, url, n / 10, {}));
        co_await typhoon::gen::multi(std::move(workers));
        std::printf("concurrent_us %.2f\n",
                    micros_per(std::chrono::steady_clock::now() - start, n));
    });
}
