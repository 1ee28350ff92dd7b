#include <typhoon/session/database_store.hpp>

#include <typhoon/database/connection.hpp>
#include <typhoon/database/errors.hpp>

#include <algorithm>
#include <stdexcept>

namespace typhoon::session {

namespace {

std::int64_t to_millis(SessionStore::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::int64_t now_millis() {
    return to_millis(std::chrono::system_clock::now());
}

[[noreturn]] void fail(const database::DatabaseError& error) {
    throw SessionStoreError(std::string("database: ") + error.what());
}

}  // namespace

DatabaseStore::DatabaseStore(database::Connection& db, DatabaseStoreOptions options)
    : db_(&db), options_(std::move(options)) {
    const auto& table = options_.table;
    // The name is written into the SQL (a placeholder cannot stand for a table).
    const bool plain = !table.empty() && !(table[0] >= '0' && table[0] <= '9') &&
                       std::all_of(table.begin(), table.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                  (c >= '0' && c <= '9') || c == '_';
                       });
    if (!plain)
        throw std::invalid_argument("DatabaseStore: table name '" + table + "' is not plain");
}

namespace {
/** PostgreSQL's IF NOT EXISTS is no guard against another session creating the same table at
    the same moment (several first requests at once, or several processes): one of them fails
    with "already exists" (42P07, 42710) or a duplicate in the catalog (23505), and the table is
    there all the same. */
bool created_meanwhile(const database::DatabaseError& e) {
    return e.sqlstate() == "42P07" || e.sqlstate() == "42710" || e.sqlstate() == "23505";
}
}  // namespace

awaitable<void> DatabaseStore::prepare() {
    const auto now = std::chrono::steady_clock::now();
    if (!table_ready_ && options_.create_table) {
        const auto& t = options_.table;
        try {
            co_await db_->execute("CREATE TABLE IF NOT EXISTS " + t +
                                  " (id VARCHAR(64) NOT NULL PRIMARY KEY, data TEXT NOT NULL,"
                                  " expires_at BIGINT NOT NULL)");
        } catch (const database::DatabaseError& e) {
            if (!created_meanwhile(e)) throw;
        }
        // CREATE INDEX IF NOT EXISTS is SQLite's, MariaDB's and PostgreSQL's, not MySQL's.
        try {
            co_await db_->execute("CREATE INDEX IF NOT EXISTS " + t + "_expires_at ON " + t +
                                  " (expires_at)");
        } catch (const database::ProgrammingError&) {
            // MySQL: the purge then scans the table, which is still correct.
        } catch (const database::DatabaseError& e) {
            if (!created_meanwhile(e)) throw;
        }
    }
    table_ready_ = true;
    if (now >= next_purge_) {
        next_purge_ = now + options_.purge_interval;
        co_await db_->execute("DELETE FROM " + options_.table + " WHERE expires_at <= ?",
                              now_millis());
    }
}

awaitable<std::int64_t> DatabaseStore::purge() {
    try {
        co_await prepare();
        co_return co_await db_->execute_rowcount(
            "DELETE FROM " + options_.table + " WHERE expires_at <= ?", now_millis());
    } catch (const database::DatabaseError& error) {
        fail(error);
    }
}

awaitable<std::optional<std::string>> DatabaseStore::load(std::string id) {
    try {
        co_await prepare();
        const auto row = co_await db_->get(
            "SELECT data, expires_at FROM " + options_.table + " WHERE id = ?", id);
        if (!row) co_return std::nullopt;
        if ((*row)["expires_at"].to_number<std::int64_t>() <= now_millis()) {
            co_await db_->execute("DELETE FROM " + options_.table + " WHERE id = ?", id);
            co_return std::nullopt;
        }
        co_return std::string((*row)["data"].as_string());
    } catch (const database::DatabaseError& error) {
        fail(error);
    }
}

awaitable<void> DatabaseStore::save(std::string id, std::string record, time_point expires) {
    try {
        co_await prepare();
        const auto& t = options_.table;
        // UPDATE, then INSERT: portable where upserts are not (ON CONFLICT, ON DUPLICATE KEY).
        // MariaDB counts rows changed, not matched, so an UPDATE that writes the same values
        // reports 0; the INSERT then meets the row, and the UPDATE's work was already done.
        const auto updated = co_await db_->execute_rowcount(
            "UPDATE " + t + " SET data = ?, expires_at = ? WHERE id = ?", record,
            to_millis(expires), id);
        if (updated > 0) co_return;
        bool inserted = true;
        try {
            co_await db_->execute("INSERT INTO " + t + " (id, data, expires_at) VALUES (?, ?, ?)",
                                  id, record, to_millis(expires));
        } catch (const database::IntegrityError&) {
            inserted = false;  // a row appeared since the UPDATE: a concurrent save, or MariaDB
        }
        if (!inserted)
            co_await db_->execute("UPDATE " + t + " SET data = ?, expires_at = ? WHERE id = ?",
                                  record, to_millis(expires), id);
    } catch (const database::DatabaseError& error) {
        fail(error);
    }
}

awaitable<void> DatabaseStore::touch(std::string id, time_point expires) {
    try {
        co_await prepare();
        co_await db_->execute("UPDATE " + options_.table + " SET expires_at = ? WHERE id = ?",
                              to_millis(expires), id);
    } catch (const database::DatabaseError& error) {
        fail(error);
    }
}

awaitable<void> DatabaseStore::erase(std::string id) {
    try {
        co_await prepare();
        co_await db_->execute("DELETE FROM " + options_.table + " WHERE id = ?", id);
    } catch (const database::DatabaseError& error) {
        fail(error);
    }
}

}  // namespace typhoon::session
