#ifndef TYPHOON_DATABASE_SRC_BACKEND_HPP
#define TYPHOON_DATABASE_SRC_BACKEND_HPP

// One physical connection to a database engine, behind the pool. Private to the library.

#include <typhoon/database/connection.hpp>
#include <typhoon/database/notifications.hpp>
#include <typhoon/database/param.hpp>
#include <typhoon/database/row.hpp>
#include <typhoon/ioloop/ioloop.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace typhoon::database::detail {

using boost::asio::awaitable;

struct Result {
    Row::Columns columns;
    std::vector<Row> rows;
    std::int64_t lastrowid = 0;
    std::int64_t rowcount = 0;
};

enum class Engine { sqlite, mysql, postgresql };

/// Where and how to connect: a parsed URL over ConnectionOptions.
struct Settings {
    Engine engine = Engine::sqlite;
    std::string path;  // SQLite: a file name, or ":memory:"
    ConnectionOptions options;
    std::string host;         // MySQL over TCP
    unsigned port = 3306;     //
    std::string unix_socket;  // MySQL over a Unix socket, when host was a path
    std::string conninfo;     // PostgreSQL: the URL for libpq, without the pool's options
    bool in_memory() const { return engine == Engine::sqlite && path == ":memory:"; }
};

/// Parses `sqlite://...`, `mysql://...` and `postgresql://...` URLs. @throws InterfaceError.
Settings parse_url(std::string_view url, ConnectionOptions options);
/// torndb's arguments: host[:port] or a socket path.
Settings mysql_settings(ConnectionOptions options);

/// Column names of one result, shared by its rows.
using Columns = Row::Columns;

class Backend {
public:
    virtual ~Backend() = default;

    /// Opens the connection. @throws OperationalError.
    virtual awaitable<void> connect() = 0;
    /// Runs `sql` once per parameter list (once with none for an empty list of lists is not
    /// allowed: callers pass at least one list, possibly empty) and collects rows of the last.
    virtual awaitable<Result> execute(const std::string& sql, const std::vector<Params>& runs) = 0;
    /// Starts a statement whose rows stream_next() then returns one by one.
    virtual awaitable<void> stream_start(const std::string& sql, const Params& params) = 0;
    /// The next row, std::nullopt at the end (the statement is then finished).
    virtual awaitable<std::optional<Row>> stream_next() = 0;
    /// The stream is dropped before its end: finish the statement or mark the connection broken.
    virtual void stream_abandon() noexcept = 0;
    /// The statement that opens a transaction.
    virtual const char* begin_sql() const noexcept = 0;
    /// PostgreSQL: LISTEN (or UNLISTEN) `channel`, quoted by libpq. Others: InterfaceError.
    virtual awaitable<void> listen(const std::string& channel, bool on);
    /// PostgreSQL: the next notification this connection receives, waiting for it (cancellable,
    /// and the connection stays usable when cancelled). Others: InterfaceError.
    virtual awaitable<Notification> next_notification();
    virtual void close() noexcept = 0;

    /// Set when the connection can no longer be trusted (lost, cancelled mid-operation): the
    /// pool closes it instead of taking it back.
    bool broken = false;
    /// Set when the server went away (not merely this connection misused): the pool's other
    /// connections to it are probably dead too.
    bool lost = false;
    /// Set while a stream is open: the connection cannot run anything else meanwhile.
    bool streaming = false;
    /// When the statement running now must stop (set around a call with a timeout): past it
    /// the backend stops the statement on the database, sets timed_out, and lets the call fail.
    std::optional<std::chrono::steady_clock::time_point> deadline;
    bool timed_out = false;
    ioloop::IOLoop::time_point last_used{};
    std::uint64_t generation = 0;
};

std::unique_ptr<Backend> make_sqlite_backend(const Settings& settings, ioloop::IOLoop& loop);
std::unique_ptr<Backend> make_mariadb_backend(const Settings& settings, ioloop::IOLoop& loop);
std::unique_ptr<Backend> make_postgresql_backend(const Settings& settings, ioloop::IOLoop& loop);
/// @throws InterfaceError when libpq cannot parse `conninfo` (a postgresql:// URL).
void check_conninfo(const std::string& conninfo);

/// "<message> (SQL: <sql>)", for errors about one statement.
std::string with_sql(std::string message, const std::string& sql);

}  // namespace typhoon::database::detail

#endif
