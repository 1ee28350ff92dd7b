// SET commands per second through typhoon::redis, in the three shapes bench/redis/run compares
// with redis-benchmark and Python's redis.asyncio:
//
//     redis_bench URL SECONDS MODE      MODE: single | concurrent | pipeline
//
// single: one command at a time, each awaited before the next (bound by the round trip);
// concurrent: 50 coroutines on one Client of one connection, which pipeline by themselves;
// pipeline: pipeline() batches of 100 commands on one connection.
// Prints one JSON object: commands_per_s and the commands that came back wrong.
#include <typhoon/ioloop.hpp>
#include <typhoon/redis.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace redis = typhoon::redis;
namespace gen = typhoon::gen;
using boost::asio::awaitable;
using clock_type = std::chrono::steady_clock;

namespace {
constexpr int concurrency = 50;
constexpr int batch = 100;

awaitable<void> one_by_one(redis::Client& client, clock_type::time_point end, long& done,
                           long& wrong, int id) {
    const std::string key = "bench:" + std::to_string(id);
    while (clock_type::now() < end) {
        if ((co_await client.command("SET", key, "xxx")).as_string() != "OK") ++wrong;
        ++done;
    }
}

awaitable<void> batches(redis::Client& client, clock_type::time_point end, long& done,
                        long& wrong) {
    const std::vector<std::vector<std::string>> commands(batch, {"SET", "bench:p", "xxx"});
    while (clock_type::now() < end) {
        for (const auto& reply : co_await client.pipeline(commands))
            if (reply.as_string() != "OK") ++wrong;
        done += batch;
    }
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: redis_bench URL SECONDS single|concurrent|pipeline\n");
        return 2;
    }
    const std::string url = argv[1], mode = argv[3];
    const auto duration = std::chrono::duration<double>(std::stod(argv[2]));
    long done = 0, wrong = 0;
    double seconds = 0;
    typhoon::ioloop::IOLoop loop;
    loop.run_sync([&]() -> awaitable<void> {
        redis::Client client(url);
        co_await client.command("PING");  // connected before the clock starts
        const auto start = clock_type::now();
        const auto end = start + std::chrono::duration_cast<clock_type::duration>(duration);
        if (mode == "single") {
            co_await one_by_one(client, end, done, wrong, 0);
        } else if (mode == "concurrent") {
            std::vector<awaitable<void>> workers;
            for (int i = 0; i < concurrency; ++i)
                workers.push_back(one_by_one(client, end, done, wrong, i));
            co_await gen::multi(std::move(workers));
        } else {
            co_await batches(client, end, done, wrong);
        }
        seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    });
    std::printf("{\"commands_per_s\": %.0f, \"commands\": %ld, \"wrong\": %ld}\n", done / seconds,
                done, wrong);
    return wrong == 0 ? 0 : 1;
}
