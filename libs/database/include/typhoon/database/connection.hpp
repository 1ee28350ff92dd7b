#ifndef TYPHOON_DATABASE_CONNECTION_HPP
#define TYPHOON_DATABASE_CONNECTION_HPP

#include <typhoon/database/notifications.hpp>
#include <typhoon/database/query_methods.hpp>
#include <typhoon/database/transaction.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

/// SQL databases for coroutines (tornado.database, later torndb): SQLite, MariaDB/MySQL and
/// PostgreSQL through a bounded pool of connections, with typed errors (PEP 249's).
namespace typhoon::database {

namespace detail {
class Listener;
class Pool;
}  // namespace detail

/** torndb's Connection arguments, plus the pool's. A URL given to Connection fills the fields it
    names (host, port, user, password, database, and charset / time_zone / sql_mode /
    max_connections from its query string); these are the defaults of the rest. A PostgreSQL
    URL is libpq's to read: of these fields it uses only the pool's and the timeouts. */
struct ConnectionOptions {
    /// MySQL/MariaDB server: "host", "host:port" (3306 by default) or a Unix socket path.
    std::string host = {};
    std::string database = {};  ///< the database (schema) to use
    ///@{
    /// The credentials to log in with.
    std::string user = {};
    std::string password = {};
    ///@}
    /// A connection left idle longer than this is reopened before its next use, as torndb does,
    /// so that the server's wait_timeout never hands a dead connection to a query.
    std::chrono::milliseconds max_idle_time = std::chrono::hours(7);
    /// How long opening a connection may take (TCP, handshake, SET statements).
    std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);
    /// Session time zone for MySQL, so that TIMESTAMP columns read the same on every server.
    std::string time_zone = "+0:00";
    /// MySQL character set: utf8mb4 holds every Unicode character, emoji included.
    std::string charset = "utf8mb4";
    /// MySQL sql_mode: TRADITIONAL turns silent truncation into errors (DataError).
    std::string sql_mode = "TRADITIONAL";
    /// Most connections open at once; more callers wait for one to come back. An in-memory
    /// SQLite database is one connection whatever this says (each would be its own database).
    int max_connections = 8;
    /// How long a caller waits for a free connection before OperationalError.
    std::chrono::milliseconds pool_timeout = std::chrono::seconds(30);
    /// How long a statement may run before it is stopped on the database and its call throws
    /// OperationalError (see QueryMethods::with_timeout()); zero, the default, for no limit.
    std::chrono::milliseconds query_timeout = std::chrono::milliseconds(0);
};

/// What the pool holds at this moment (for monitoring, and for tests).
struct PoolStatus {
    int open = 0;  ///< connections open, busy or idle
    int idle = 0;  ///< open and waiting in the pool
};

/** A database, through a bounded pool of connections: torndb's Connection, asynchronous.
    Queries are coroutines that leave the loop free while the database works: SQLite runs them
    on the loop's executor threads, MariaDB/MySQL and PostgreSQL drive their client library's
    non-blocking API from the loop itself.

        database::Connection db("sqlite:///notes.db");
        // or "mysql://user:password@127.0.0.1:3306/notes?charset=utf8mb4"
        // or "postgresql://user:password@127.0.0.1:5432/notes?sslmode=prefer"
        co_await db.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)");
        co_await db.insert("INSERT INTO notes (body) VALUES (?)", "hello");
        for (const auto& row : co_await db.query("SELECT * FROM notes"))
            std::cout << row["body"].as_string() << '\n';

    URLs: `sqlite:///relative/path.db`, `sqlite:////absolute/path.db` (a file, in WAL mode),
    `sqlite://:memory:`;
   `mysql://user:password@host:port/database?charset=utf8mb4&time_zone=%2B0:00`
    (`mariadb://` is the same);
    `postgresql://user:password@host:port/database?sslmode=require&application_name=notes`
    (`postgres://` is the same), read by libpq, so every libpq URL works: several hosts, a UNIX
    socket directory as the host (`postgresql://user@%2Fvar%2Frun%2Fpostgresql/notes`) or as
    `?host=/var/run/postgresql`, and libpq's parameters; the pool's own (max_connections,
    max_idle_time, connect_timeout, pool_timeout) are taken out first.

    On PostgreSQL `?` placeholders become `$1, $2, ...` (a statement may also write `$n` itself,
    and then its `?` stay operators, as jsonb's); parameters are bound by libpq, never spliced
    into the SQL. execute() and insert() return the first column of the last row of an
    `INSERT ... RETURNING id`, else the session's lastval() after an INSERT (0 when no sequence
    was used), which a second statement in the same round trip reads: write RETURNING where
    inserts are hot. executemany() sends every run in one pipeline, one round trip, which
    PostgreSQL runs as one implicit transaction: all or nothing. Each query takes a connection
    of its own from the pool; queries are not pipelined on one connection. Errors carry the
    server's SQLSTATE (`e.sqlstate()`): class 23 is IntegrityError, 22 DataError, 42 (syntax,
    unknown table or column) ProgrammingError, a lost connection or a cancelled statement
    OperationalError. Connections open lazily, on first use;
   reconnect() opens one now. Use a Connection on the loop that made it; it must outlive the
   coroutines that use it. */
class Connection final : public QueryMethods {
public:
    /** @throws InterfaceError for a URL that is not one of the forms above. */
    explicit Connection(std::string_view url, ConnectionOptions options = {});
    /// A MySQL/MariaDB server named by torndb's arguments (`host`, `database`, `user`, ...).
    explicit Connection(ConnectionOptions options);
    ///@{
    /// Moves the pool; assignment first close()s the connections this one had. A moved-from
    /// Connection may only be destroyed or assigned.
    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    ///@}
    ~Connection() override;

    /** Starts a transaction on a connection of the pool, which the Transaction keeps until it
        commits or rolls back. */
    awaitable<Transaction> begin();

    /** Closes the idle connections, and each busy one as it comes back (torndb's close()).
        The next query opens a new one. */
    void close() noexcept;
    /** Closes every connection and opens one now (torndb's reconnect()).
        @throws OperationalError when the database cannot be reached. */
    awaitable<void> reconnect();

    /** PostgreSQL's LISTEN: the notifications of `channel` from now on, once the server has
        confirmed (see Notifications).
        @throws InterfaceError on another engine; OperationalError when the server cannot be
        reached within connect_timeout. */
    awaitable<Notifications> listen(std::string channel);
    /** PostgreSQL's NOTIFY (pg_notify(channel, payload)), through the pool: every session
        listening on `channel` receives `payload`, once this statement commits.
        @throws InterfaceError on another engine. */
    awaitable<void> notify(std::string channel, std::string payload = {});

    /// How many connections are open, and how many of them idle, now.
    PoolStatus pool_status() const noexcept;

protected:
    awaitable<detail::Result> run(std::string sql, std::vector<Params> params,
                                  Limit limit) override;
    awaitable<RowStream> stream(std::string sql, Params params, Limit limit) override;

private:
    std::shared_ptr<detail::Pool> pool_;          // shared with the leases of queries in flight
    std::shared_ptr<detail::Listener> listener_;  // made by the first listen()
};

}  // namespace typhoon::database

#endif
