#include <typhoon/database.hpp>
#include <typhoon/ioloop.hpp>

#include <iostream>

namespace database = typhoon::database;

int main() {
    // Only typhoon::database was asked for: SQLite and libmariadb come along by themselves.
    database::Connection db("sqlite://:memory:");
    const auto answer = typhoon::ioloop::IOLoop::current().run_sync(
        [&db]() -> boost::asio::awaitable<std::int64_t> {
            co_await db.execute("CREATE TABLE t (x INTEGER)");
            co_await db.execute("INSERT INTO t VALUES (?)", 42);
            co_return (*co_await db.get("SELECT x FROM t"))["x"].as_int64();
        });
    std::cout << "database_consumer: SELECT x -> " << answer << '\n';
    return answer == 42 ? 0 : 1;
}
