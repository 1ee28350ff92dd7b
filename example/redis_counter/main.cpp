// A hit counter in Redis, which every process pointed at the same server shares: concurrent
// commands (pipelined on one connection), a MULTI/EXEC transaction sent as one pipeline, an
// error reply, and a message through pub/sub.
//
//     redis_counter [URL]      (default redis://127.0.0.1:6379)
#include <typhoon/ioloop.hpp>
#include <typhoon/redis.hpp>

#include <iostream>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace gen = typhoon::gen;
namespace redis = typhoon::redis;

namespace {

awaitable<void> count(redis::Client& client) {
    // guide:begin commands
    co_await client.command("DEL", "hits");
    std::vector<awaitable<redis::Reply>> hits;
    for (int i = 0; i < 100; ++i)
        hits.push_back(client.command("INCR", "hits"));
    co_await gen::multi(std::move(hits));  // 100 commands in flight on one connection
    const auto total = co_await client.command("GET", "hits");
    std::cout << "hits: " << total.as_string() << "\n";  // a bulk string: "100"
    // guide:end commands

    // guide:begin pipeline
    const auto replies = co_await client.pipeline(
        {{"MULTI"}, {"INCRBY", "hits", "10"}, {"EXPIRE", "hits", "60"}, {"EXEC"}});
    std::cout << "after the transaction: " << replies[3].as_array()[0].as_integer() << "\n";
    // guide:end pipeline

    // guide:begin errors
    try {
        co_await client.command("LPUSH", "hits", "x");  // hits holds a string, not a list
    } catch (const redis::ReplyError& e) {
        std::cout << "refused: " << e.code() << "\n";  // WRONGTYPE; the connection carries on
    }
    // guide:end errors
}

awaitable<void> announce(redis::Client& client) {
    // guide:begin pubsub
    auto sub = co_await client.subscribe({"hits.events"});
    co_await client.command("PUBLISH", "hits.events", "counted 110");
    const auto message = co_await sub.next(5s);
    std::cout << message.channel << ": " << message.payload << "\n";
    // guide:end pubsub
}

}  // namespace

int main(int argc, char** argv) {
    const std::string url = argc > 1 ? argv[1] : "redis://127.0.0.1:6379";
    typhoon::ioloop::IOLoop loop;  // first, so that it outlives the client
    try {
        loop.run_sync([&]() -> awaitable<void> {
            redis::Client client(url);
            co_await count(client);
            co_await announce(client);
        });
    } catch (const redis::Error& e) {
        std::cerr << "redis_counter: " << e.what() << "\n";
        return 1;
    }
}
