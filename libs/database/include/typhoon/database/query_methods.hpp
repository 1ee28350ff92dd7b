#ifndef TYPHOON_DATABASE_QUERY_METHODS_HPP
#define TYPHOON_DATABASE_QUERY_METHODS_HPP

#include <typhoon/database/param.hpp>
#include <typhoon/database/row.hpp>
#include <typhoon/database/row_stream.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace typhoon::database {

namespace detail {
struct Result;
}

using boost::asio::awaitable;

class TimedQueries;

/** torndb's query methods, as coroutines; Connection and Transaction both have them. Parameters
    follow the SQL and take the place of its `?` placeholders in order. They are bound by the
    driver and never become part of the SQL text: SQLite binds them to its prepared statement,
    and MariaDB receives them apart from the SQL, for a statement the server prepared (each
    connection keeps its 64 most recently used statements prepared; the few that MariaDB cannot
    prepare, such as PREPARE itself, run as plain queries and so take no parameters). A `?`
    inside a quoted string or a comment is text, not a placeholder:

        auto rows = co_await db.query("SELECT id, title FROM notes WHERE owner = ?", user);
        auto id = co_await db.insert("INSERT INTO notes (owner, title) VALUES (?, ?)", user, t);

    Each variadic method has an overload taking `Params` for parameter lists built at run time.
    Every method throws what the engine reports, typed: ProgrammingError (bad SQL, with the SQL),
    IntegrityError, DataError, OperationalError (connection lost, timeout; the connection is
    discarded); a `?` count that does not match the parameters is a ProgrammingError, raised
    before anything runs. */
class QueryMethods {
public:
    virtual ~QueryMethods() = default;

    /** The same methods, each call stopped on the database when it runs longer than `limit`
        (asyncpg's and psycopg's `timeout`), in place of ConnectionOptions::query_timeout:

            co_await db.with_timeout(200ms).query("SELECT pg_sleep(5)");  // throws at 200 ms

        The call throws OperationalError "... ran past its timeout of 200 ms ...". PostgreSQL
        cancels the statement on the server (PQcancel, from a thread of the loop's executor, as
        libpq 15's cancel blocks) and keeps the connection; SQLite interrupts it
        (sqlite3_interrupt) and keeps the connection; MariaDB kills it (KILL QUERY, from such a
        thread) and closes the connection. For iter() the limit covers the statement's start,
        up to its first row. The object this is called on must outlive the calls. */
    TimedQueries with_timeout(std::chrono::milliseconds limit);

    ///@{
    /// Every row the statement returns.
    template <class... P>
    awaitable<std::vector<Row>> query(std::string sql, P&&... params) {
        return query(std::move(sql), Params{Param(std::forward<P>(params))...});
    }
    awaitable<std::vector<Row>> query(std::string sql, Params params);
    ///@}

    ///@{
    /** The only row, or std::nullopt when there is none.
        @throws InterfaceError "Multiple rows returned for get() query", as torndb does. */
    template <class... P>
    awaitable<std::optional<Row>> get(std::string sql, P&&... params) {
        return get(std::move(sql), Params{Param(std::forward<P>(params))...});
    }
    awaitable<std::optional<Row>> get(std::string sql, Params params);
    ///@}

    ///@{
    /** Rows one at a time, without holding the whole result (torndb's iter()):

            auto rows = co_await db.iter("SELECT * FROM log");
            while (auto row = co_await rows.next()) ...

        The stream holds a connection of the pool until it ends or is destroyed. */
    template <class... P>
    awaitable<RowStream> iter(std::string sql, P&&... params) {
        return iter(std::move(sql), Params{Param(std::forward<P>(params))...});
    }
    awaitable<RowStream> iter(std::string sql, Params params);
    ///@}

    ///@{
    /// Runs the statement; returns the id of the row it inserted (torndb's execute()).
    template <class... P>
    awaitable<std::int64_t> execute(std::string sql, P&&... params) {
        return execute(std::move(sql), Params{Param(std::forward<P>(params))...});
    }
    awaitable<std::int64_t> execute(std::string sql, Params params);
    ///@}

    /// Same as execute().
    template <class... P>
    awaitable<std::int64_t> execute_lastrowid(std::string sql, P&&... params) {
        return execute(std::move(sql), Params{Param(std::forward<P>(params))...});
    }
    /// Same as execute().
    template <class... P>
    awaitable<std::int64_t> insert(std::string sql, P&&... params) {
        return execute(std::move(sql), Params{Param(std::forward<P>(params))...});
    }

    ///@{
    /// Runs the statement; returns how many rows it changed.
    template <class... P>
    awaitable<std::int64_t> execute_rowcount(std::string sql, P&&... params) {
        return execute_rowcount(std::move(sql), Params{Param(std::forward<P>(params))...});
    }
    awaitable<std::int64_t> execute_rowcount(std::string sql, Params params);
    ///@}
    /// Same as execute_rowcount().
    template <class... P>
    awaitable<std::int64_t> update(std::string sql, P&&... params) {
        return execute_rowcount(std::move(sql), Params{Param(std::forward<P>(params))...});
    }

    /** Runs the statement once per parameter list, on one connection; returns the id of the
        last row inserted (torndb's executemany()). */
    awaitable<std::int64_t> executemany(std::string sql, std::vector<Params> rows);
    ///@{
    /// Same as executemany().
    awaitable<std::int64_t> executemany_lastrowid(std::string sql, std::vector<Params> rows) {
        return executemany(std::move(sql), std::move(rows));
    }
    awaitable<std::int64_t> insertmany(std::string sql, std::vector<Params> rows) {
        return executemany(std::move(sql), std::move(rows));
    }
    ///@}
    /// As executemany(); returns the number of rows changed, summed over the runs.
    awaitable<std::int64_t> executemany_rowcount(std::string sql, std::vector<Params> rows);
    /// Same as executemany_rowcount().
    awaitable<std::int64_t> updatemany(std::string sql, std::vector<Params> rows) {
        return executemany_rowcount(std::move(sql), std::move(rows));
    }

protected:
    /// How long a call may run: nullopt for the Connection's query_timeout.
    using Limit = std::optional<std::chrono::milliseconds>;

    /// Runs one statement (or, with several parameter lists, one statement per list) and
    /// collects its result.
    virtual awaitable<detail::Result> run(std::string sql, std::vector<Params> params,
                                          Limit limit) = 0;
    /// Starts one statement and returns its rows as they come (what iter() returns).
    virtual awaitable<RowStream> stream(std::string sql, Params params, Limit limit) = 0;

    /// What this object's calls pass: set by TimedQueries, nullopt otherwise.
    Limit limit_;

private:
    friend class TimedQueries;
};

/// What QueryMethods::with_timeout() returns: the query methods of another object, each call
/// limited in time. Cheap to make; use it at once, for one or a few calls.
class TimedQueries final : public QueryMethods {
public:
    /// The methods of `target` (which must outlive this object), each call cut at `limit`.
    TimedQueries(QueryMethods& target, std::chrono::milliseconds limit) : target_(&target) {
        limit_ = limit;
    }

protected:
    awaitable<detail::Result> run(std::string sql, std::vector<Params> params,
                                  Limit limit) override;
    awaitable<RowStream> stream(std::string sql, Params params, Limit limit) override;

private:
    QueryMethods* target_;
};

}  // namespace typhoon::database

#endif
