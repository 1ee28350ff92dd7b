// The asynchronous I/O chapter: coroutines, the IOLoop, blocking work on an executor.
#include <typhoon/http/http_client.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace gen = typhoon::gen;
namespace web = typhoon::web;
using typhoon::httpclient::AsyncHTTPClient;
using typhoon::ioloop::IOLoop;

// guide:begin coroutine
// Python:  async def fetch_length(url):
//              response = await AsyncHTTPClient().fetch(url)
//              return len(response.body)
awaitable<std::size_t> fetch_length(std::string url) {
    auto response = co_await AsyncHTTPClient::current().fetch(url);
    co_return response.body.size();
}
// guide:end coroutine

// guide:begin parallel
awaitable<void> compare_sizes(std::string first_url, std::string second_url) {
    // Both requests are in flight at once (gen.multi / asyncio.gather).
    auto [first, second] = co_await gen::multi(fetch_length(first_url), fetch_length(second_url));
    std::cout << first_url << ": " << first << " bytes, " << second_url << ": " << second
              << " bytes\n";
}
// guide:end parallel

// guide:begin executor
std::string read_whole_file(const std::string& path) {  // blocking: never call it on the loop
    std::ifstream file(path, std::ios::binary);
    std::ostringstream contents;
    contents << file.rdbuf();
    return contents.str();
}

class ReportHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        // The loop serves other requests while a pool thread reads the file.
        std::string report = co_await IOLoop::current().run_in_executor(
            [] { return read_whole_file("report.txt"); });
        write(report);
    }
};
// guide:end executor

// guide:begin timeout
awaitable<void> fetch_or_give_up(std::string url) {
    try {
        auto response = co_await gen::with_timeout(2s, AsyncHTTPClient::current().fetch(url));
        std::cout << response.code << "\n";
    } catch (const typhoon::gen::TimeoutError&) {
        std::cout << url << " took more than 2 seconds\n";
    }
}
// guide:end timeout

int main() {
    // guide:begin loop
    auto& loop = IOLoop::current();
    // A callback in a second, a coroutine started now; start() runs until stop().
    loop.call_later(1s, [&loop] { loop.stop(); });
    loop.spawn_callback([]() -> awaitable<void> {
        co_await gen::sleep(100ms);
        std::cout << "a tenth of a second later\n";
    });
    loop.start();
    // guide:end loop

    // guide:begin run_sync
    // Scripts and tests run one coroutine to its end (IOLoop.run_sync).
    loop.run_sync([]() -> awaitable<void> { co_await gen::sleep(10ms); });
    // guide:end run_sync

    web::Application application({web::url<ReportHandler>("/report")});
    (void)application;
    (void)&compare_sizes;
    (void)&fetch_or_give_up;
}
