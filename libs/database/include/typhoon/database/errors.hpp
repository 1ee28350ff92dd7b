#ifndef TYPHOON_DATABASE_ERRORS_HPP
#define TYPHOON_DATABASE_ERRORS_HPP

#include <typhoon/core/error.hpp>

#include <string>

namespace typhoon::database {

/** Base of every error the database layer raises (PEP 249's `Error`, which torndb re-exports).
    `what()` carries the engine's own message, and for a failed statement the SQL as well;
    `sqlstate()` the five-character SQLSTATE the server gave (PostgreSQL and MariaDB always
    give one, "23505" for a duplicate key; empty from SQLite and for client-side errors). */
struct DatabaseError : Error {
    ///@{
    /// `message` as what(); `sqlstate` as the server gave it, empty where there is none.
    explicit DatabaseError(const std::string& message, std::string sqlstate = {})
        : Error(message), sqlstate_(std::move(sqlstate)) {}
    explicit DatabaseError(const char* message) : Error(message) {}
    ///@}
    /// SQL's error code, as psycopg's `e.sqlstate` and asyncpg's `e.sqlstate`.
    const std::string& sqlstate() const noexcept { return sqlstate_; }

private:
    std::string sqlstate_;
};

/// The API was misused: a malformed URL, get() on a query that returned several rows, a column
/// that the row does not have.
struct InterfaceError : DatabaseError {
    /// DatabaseError's constructors: a message, and the SQLSTATE where there is one.
    using DatabaseError::DatabaseError;
};

/** The database could not be reached or was lost: cannot connect, server gone mid-query,
    a query past its deadline (timeout), pool exhausted. The connection involved is discarded; the
    next query opens a new one. */
struct OperationalError : DatabaseError {
    /// DatabaseError's constructors: a message, and the SQLSTATE where there is one.
    using DatabaseError::DatabaseError;
};

/// A constraint refused the statement: UNIQUE, PRIMARY KEY, FOREIGN KEY, NOT NULL, CHECK.
struct IntegrityError : DatabaseError {
    /// DatabaseError's constructors: a message, and the SQLSTATE where there is one.
    using DatabaseError::DatabaseError;
};

/** The SQL is wrong: a syntax error, an unknown table or column, or a number of parameters
    that does not match its `?`s (as Python's sqlite3 says). `what()` quotes the SQL. */
struct ProgrammingError : DatabaseError {
    /// DatabaseError's constructors: a message, and the SQLSTATE where there is one.
    using DatabaseError::DatabaseError;
};

/// A value does not fit its column (too long, out of range) where the engine checks that.
struct DataError : DatabaseError {
    /// DatabaseError's constructors: a message, and the SQLSTATE where there is one.
    using DatabaseError::DatabaseError;
};

}  // namespace typhoon::database

#endif
