// The structure chapter's databases: torndb's API on SQLite, MariaDB and PostgreSQL, with
// transactions, deadlines and PostgreSQL's LISTEN/NOTIFY.
#include <typhoon/database.hpp>
#include <typhoon/ioloop.hpp>

#include <chrono>
#include <iostream>
#include <string>

using namespace std::chrono_literals;
using boost::asio::awaitable;
namespace database = typhoon::database;

// guide:begin connect
// One Connection per database and process, made at start-up and shared by every handler: it is
// a pool (max_connections, 8 by default), and each call takes a connection for as long as it runs.
database::Connection open_notes(const std::string& url) {
    // "sqlite:///notes.db", "mysql://notes:secret@127.0.0.1/notes", or PostgreSQL's
    // "postgresql://notes:secret@127.0.0.1:5432/notes?sslmode=require&application_name=notes"
    // ("postgres://" too, and a UNIX socket: "postgresql://notes@%2Fvar%2Frun%2Fpostgresql/notes").
    return database::Connection(url, {.max_connections = 8, .query_timeout = 5s});
}
// guide:end connect

// guide:begin queries
awaitable<void> use_notes(database::Connection& db) {
    // `?` placeholders everywhere; PostgreSQL receives them as $1, $2, ... bound by libpq.
    const auto id = co_await db.insert("INSERT INTO notes (body) VALUES (?) RETURNING id", "hi");
    if (auto row = co_await db.get("SELECT body FROM notes WHERE id = ?", id))
        std::cout << (*row)["body"].as_string() << '\n';
    auto rows = co_await db.iter("SELECT id, body FROM notes ORDER BY id");  // streamed
    while (auto row = co_await rows.next())
        std::cout << (*row)["id"].as_int64() << '\n';
    try {
        co_await db.execute("INSERT INTO notes (id, body) VALUES (?, ?)", id, "again");
    } catch (const database::IntegrityError& e) {
        std::cout << e.sqlstate() << '\n';  // "23505" on PostgreSQL: unique_violation
    }
}
// guide:end queries

// guide:begin transaction
awaitable<void> move_note(database::Connection& db, std::int64_t id, std::int64_t folder) {
    auto tx = co_await db.begin();
    co_await tx.execute("UPDATE notes SET folder = ? WHERE id = ?", folder, id);
    co_await tx.execute("UPDATE folders SET size = size + 1 WHERE id = ?", folder);
    co_await tx.commit();  // an exception before this line rolls both back
}
// guide:end transaction

// guide:begin deadline
awaitable<void> report(database::Connection& db) {
    try {
        // Stopped on the server at 200 ms, where ConnectionOptions::query_timeout says 5 s.
        auto rows = co_await db.with_timeout(200ms).query("SELECT * FROM slow_report");
    } catch (const database::OperationalError& e) {
        std::cout << e.what() << '\n';  // "timeout: the statement ran past its timeout of ..."
    }
}
// guide:end deadline

// guide:begin listen
awaitable<void> follow_changes(database::Connection& db) {
    auto changes = co_await db.listen("notes");  // LISTEN notes, on a connection of its own
    while (true) {
        auto change = co_await changes.next();  // what NOTIFY notes, '...' sent, from anywhere
        std::cout << change.payload << " (from server process " << change.pid << ")\n";
    }
}

awaitable<void> announce(database::Connection& db, std::int64_t id) {
    co_await db.notify("notes", "note " + std::to_string(id) + " changed");
}
// guide:end listen

int main(int argc, char** argv) {
    if (argc < 2) return 0;  // built with the guide; run it with a database URL
    auto& loop = typhoon::ioloop::IOLoop::current();
    auto db = open_notes(argv[1]);
    loop.run_sync([&]() -> awaitable<void> {
        co_await db.execute("CREATE TABLE IF NOT EXISTS notes (id SERIAL PRIMARY KEY, body TEXT)");
        co_await use_notes(db);
        co_await announce(db, 1);
        (void)&move_note;
        (void)&report;
        (void)&follow_changes;
    });
}
