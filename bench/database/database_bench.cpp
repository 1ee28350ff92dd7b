// Point selects (or inserts) per second through typhoon::database's pool, and how late the loop
// runs other work meanwhile: a 1 ms timer's lateness, the delay any request on the same loop
// would see.
//
//     database_bench URL SECONDS [CONCURRENCY] [MAX_CONNECTIONS] [select|insert]
//
// Prints one JSON object: queries_per_s, timer lateness percentiles in ms, rows checked.
#include <typhoon/database.hpp>
#include <typhoon/ioloop.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace database = typhoon::database;
namespace gen = typhoon::gen;
using boost::asio::awaitable;
using clock_type = std::chrono::steady_clock;

namespace {
constexpr int rows = 10000;

awaitable<void> fill(database::Connection& db, bool mysql) {
    co_await db.execute("DROP TABLE IF EXISTS bench_items");
    co_await db.execute("DROP TABLE IF EXISTS bench_log");
    co_await db.execute("CREATE TABLE bench_log (item INTEGER NOT NULL, note VARCHAR(100))");
    co_await db.execute(std::string("CREATE TABLE bench_items (id INTEGER PRIMARY KEY, ") +
                        "title VARCHAR(100) NOT NULL, score INTEGER NOT NULL)" +
                        (mysql ? " ENGINE=InnoDB" : ""));
    std::vector<database::Params> values;
    for (int i = 1; i <= rows; ++i)
        values.push_back({i, "item number " + std::to_string(i), i % 97});
    auto tx = co_await db.begin();
    co_await tx.executemany("INSERT INTO bench_items VALUES (?, ?, ?)", std::move(values));
    co_await tx.commit();
}

awaitable<void> worker(database::Connection& db, clock_type::time_point end, long& done,
                       long& wrong, unsigned seed, bool insert) {
    std::minstd_rand random(seed);
    while (clock_type::now() < end) {
        const int id = static_cast<int>(random() % rows) + 1;
        if (insert) {
            if (co_await db.execute_rowcount("INSERT INTO bench_log (item, note) VALUES (?, ?)", id,
                                             "seen") != 1)
                ++wrong;
        } else {
            auto row = co_await db.get("SELECT id, title, score FROM bench_items WHERE id = ?", id);
            if (!row || (*row)["id"].as_int64() != id) ++wrong;
        }
        ++done;
    }
}

awaitable<void> ticker(clock_type::time_point end, std::vector<double>& lateness_ms) {
    constexpr auto period = std::chrono::milliseconds(1);
    while (clock_type::now() < end) {
        const auto before = clock_type::now();
        co_await gen::sleep(period);
        const auto late = clock_type::now() - before - period;
        lateness_ms.push_back(std::chrono::duration<double, std::milli>(late).count());
    }
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(p * values.size()))];
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s URL SECONDS [CONCURRENCY] [MAX_CONNECTIONS] [MODE]\n",
                     argv[0]);
        return 2;
    }
    const std::string url = argv[1];
    const double seconds = std::stod(argv[2]);
    const int concurrency = argc > 3 ? std::stoi(argv[3]) : 64;
    const int max_connections = argc > 4 ? std::stoi(argv[4]) : 8;
    const bool insert = argc > 5 && std::string(argv[5]) == "insert";
    const bool mysql = url.starts_with("mysql");
    const std::string scheme = url.substr(0, url.find(':'));

    auto& loop = typhoon::ioloop::IOLoop::current();
    database::Connection db(url, {.max_connections = max_connections});
    loop.run_sync([&] { return fill(db, mysql); });

    long done = 0, wrong = 0;
    std::vector<double> lateness;
    const auto start = clock_type::now();
    const auto end = start + std::chrono::duration_cast<clock_type::duration>(
                                 std::chrono::duration<double>(seconds));
    loop.run_sync([&]() -> awaitable<void> {
        std::vector<awaitable<void>> all;
        for (int i = 0; i < concurrency; ++i)
            all.push_back(worker(db, end, done, wrong, static_cast<unsigned>(i + 1), insert));
        all.push_back(ticker(end, lateness));
        co_await gen::multi(std::move(all));
    });
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();

    boost::json::object out{
        {"url_scheme", scheme},
        {"mode", insert ? "insert" : "select"},
        {"concurrency", concurrency},
        {"max_connections", max_connections},
        {"queries_per_s", static_cast<double>(done) / elapsed},
        {"wrong_rows", wrong},
        {"timer_late_p50_ms", percentile(lateness, 0.50)},
        {"timer_late_p99_ms", percentile(lateness, 0.99)},
        {"timer_late_max_ms", percentile(lateness, 1.0)},
        {"timer_samples", lateness.size()},
    };
    std::printf("%s\n", boost::json::serialize(out).c_str());
    return wrong == 0 ? 0 : 1;
}
