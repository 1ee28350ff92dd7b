#ifndef TYPHOON_SESSION_DATABASE_STORE_HPP
#define TYPHOON_SESSION_DATABASE_STORE_HPP

#include <typhoon/session/session_store.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace typhoon::database {
class Connection;
}

namespace typhoon::session {

/// Options of DatabaseStore.
struct DatabaseStoreOptions {
    /// The table (a plain SQL name: letters, digits and `_`).
    std::string table = "typhoon_sessions";
    /// Create the table (CREATE TABLE IF NOT EXISTS) before the first use; turn it off when
    /// migrations own the schema.
    bool create_table = true;
    /// How often one call of the store also deletes every expired row: expired rows are never
    /// returned in between, this bounds the space they take.
    std::chrono::seconds purge_interval = std::chrono::minutes(5);
};

/** Sessions in a table of an SQL database (typhoon::session_database): they survive restarts and
    are shared by every process that uses the same database.

        database::Connection db("sqlite:///var/lib/shop/sessions.db");   // or mysql://...
        session::DatabaseStore store(db);

    The table, written in SQL that SQLite, MariaDB/MySQL and PostgreSQL all accept:

        CREATE TABLE IF NOT EXISTS typhoon_sessions (
            id VARCHAR(64) NOT NULL PRIMARY KEY,
            data TEXT NOT NULL,
            expires_at BIGINT NOT NULL)     -- milliseconds since 1970, UTC

    with an index on expires_at for the purge. A record is limited by TEXT: 64 KB on MariaDB.
    A save is an UPDATE, then an INSERT when no row was there (no engine-specific upsert).
    A load of an expired row deletes it, and every `purge_interval` one call also runs
    `DELETE ... WHERE expires_at <= now`.

    Errors of the database (lost connection, timeout, bad schema) raise SessionStoreError with
    the database's message; the Connection reconnects on the next query. `db` must outlive the
    store; use both on the loop that made the Connection. */
class DatabaseStore final : public SessionStore {
public:
    /** @throws std::invalid_argument for a table name that is not a plain SQL name. */
    explicit DatabaseStore(database::Connection& db, DatabaseStoreOptions options = {});

    awaitable<std::optional<std::string>> load(std::string id) override;
    awaitable<void> save(std::string id, std::string record, time_point expires) override;
    awaitable<void> touch(std::string id, time_point expires) override;
    awaitable<void> erase(std::string id) override;

    /** Deletes every expired row now; how many. @throws SessionStoreError */
    awaitable<std::int64_t> purge();

private:
    awaitable<void> prepare();

    database::Connection* db_;
    DatabaseStoreOptions options_;
    bool table_ready_ = false;
    std::chrono::steady_clock::time_point next_purge_{};
};

}  // namespace typhoon::session

#endif
