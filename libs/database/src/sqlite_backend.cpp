// SQLite: each connection's calls run on the loop's executor threads, one at a time, so the
// loop never waits for the disk; files use WAL so that readers and a writer do not block.

#include "backend.hpp"

#include <typhoon/database/errors.hpp>

#include <boost/asio/steady_timer.hpp>

#include <sqlite3.h>

#include <deque>
#include <mutex>
#include <unordered_map>

namespace typhoon::database::detail {

namespace {

/// The sqlite3 handle and what hangs off it, shared with executor work: a coroutine whose wait
/// was cancelled leaves its work running, and that work must still find the handle alive.
struct Handle {
    std::mutex mutex;  // one thread at a time (the handle is opened without SQLite's own mutex)
    sqlite3* db = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> statements;  // prepared once, reused
    sqlite3_stmt* stream = nullptr;
    Columns stream_columns;
    std::vector<bool> stream_dates;

    ~Handle() {
        for (auto& [sql, statement] : statements)
            sqlite3_finalize(statement);
        sqlite3_finalize(stream);
        sqlite3_close_v2(db);
    }
};

[[noreturn]] void raise(sqlite3* db, int code, const std::string& sql) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    if (!sql.empty()) message = with_sql(std::move(message), sql);
    switch (code & 0xff) {
        case SQLITE_CONSTRAINT:
            throw IntegrityError(message);
        case SQLITE_ERROR:
        case SQLITE_AUTH:
            throw ProgrammingError(message);
        case SQLITE_TOOBIG:
        case SQLITE_MISMATCH:
            throw DataError(message);
        case SQLITE_RANGE:  // a parameter index past the statement's `?`s
            throw ProgrammingError(message);
        default:
            throw OperationalError(message);  // BUSY, LOCKED, IOERR, FULL, CANTOPEN, ...
    }
}

/// Whether the declared type names a date or time, whose text Row gives in ISO 8601.
bool is_date_type(const char* declared) {
    if (!declared) return false;
    std::string upper(declared);
    for (auto& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper.find("DATE") != std::string::npos || upper.find("TIME") != std::string::npos;
}

boost::json::value column_value(sqlite3_stmt* statement, int i, bool date) {
    switch (sqlite3_column_type(statement, i)) {
        case SQLITE_INTEGER:
            return sqlite3_column_int64(statement, i);
        case SQLITE_FLOAT:
            return sqlite3_column_double(statement, i);
        case SQLITE_NULL:
            return nullptr;
        case SQLITE_BLOB: {
            const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, i));
            return boost::json::string(std::string_view(
                data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(statement, i))));
        }
        default: {
            const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
            boost::json::string text(std::string_view(
                data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(statement, i))));
            // SQLite's CURRENT_TIMESTAMP writes "YYYY-MM-DD HH:MM:SS"; MariaDB's rows read the same
            // column as ISO 8601, and so do these.
            if (date && text.size() >= 19 && text[4] == '-' && text[10] == ' ' && text[13] == ':')
                text[10] = 'T';
            return text;
        }
    }
}

void bind(sqlite3* db, sqlite3_stmt* statement, const Params& params, const std::string& sql) {
    const int expected = sqlite3_bind_parameter_count(statement);
    if (expected != static_cast<int>(params.size()))
        throw ProgrammingError(with_sql("the SQL has " + std::to_string(expected) +
                                            " placeholders but " + std::to_string(params.size()) +
                                            " parameters were given",
                                        sql));
    for (int i = 0; i < expected; ++i) {
        const auto& value = params[static_cast<std::size_t>(i)].value();
        int rc = SQLITE_OK;
        if (std::holds_alternative<std::nullptr_t>(value)) {
            rc = sqlite3_bind_null(statement, i + 1);
        } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
            rc = sqlite3_bind_int64(statement, i + 1, *n);
        } else if (const auto* u = std::get_if<std::uint64_t>(&value)) {
            if (*u > static_cast<std::uint64_t>(INT64_MAX))
                throw DataError(with_sql(
                    "integer " + std::to_string(*u) + " is too large for SQLite (64-bit signed)",
                    sql));
            rc = sqlite3_bind_int64(statement, i + 1, static_cast<sqlite3_int64>(*u));
        } else if (const auto* d = std::get_if<double>(&value)) {
            rc = sqlite3_bind_double(statement, i + 1, *d);
        } else if (const auto* s = std::get_if<std::string>(&value)) {
            rc = sqlite3_bind_text64(statement, i + 1, s->data(), s->size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
        } else {
            const auto& bytes = std::get<Bytes>(value).data;
            rc =
                sqlite3_bind_blob64(statement, i + 1, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
        }
        if (rc != SQLITE_OK) raise(db, rc, sql);
    }
}

sqlite3_stmt* prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &statement, &tail);
    if (rc != SQLITE_OK) raise(db, rc, sql);
    if (!statement) throw ProgrammingError(with_sql("the SQL holds no statement", sql));
    for (; tail && *tail; ++tail) {
        if (!std::isspace(static_cast<unsigned char>(*tail)) && *tail != ';') {
            sqlite3_finalize(statement);
            // Only the first would run, silently: say so rather than lose the rest.
            throw ProgrammingError(with_sql("one statement at a time, please", sql));
        }
    }
    return statement;
}

Columns columns_of(sqlite3_stmt* statement, std::vector<bool>& dates) {
    const int n = sqlite3_column_count(statement);
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(n));
    dates.assign(static_cast<std::size_t>(n), false);
    for (int i = 0; i < n; ++i) {
        names.emplace_back(sqlite3_column_name(statement, i));
        dates[static_cast<std::size_t>(i)] = is_date_type(sqlite3_column_decltype(statement, i));
    }
    return std::make_shared<const std::vector<std::string>>(std::move(names));
}

Row read_row(sqlite3_stmt* statement, const Columns& columns, const std::vector<bool>& dates) {
    std::vector<boost::json::value> values;
    values.reserve(columns->size());
    for (std::size_t i = 0; i < columns->size(); ++i)
        values.push_back(column_value(statement, static_cast<int>(i), dates[i]));
    return Row(columns, std::move(values));
}

Result run_all(Handle& h, sqlite3_stmt* statement, const std::string& sql,
               const std::vector<Params>& runs);

/// Runs on an executor thread with the handle locked.
Result run_statement(Handle& h, const std::string& sql, const std::vector<Params>& runs) {
    if (!h.db) throw OperationalError("the SQLite connection is closed");
    constexpr std::size_t max_cached = 64;
    sqlite3_stmt* statement = nullptr;
    if (auto it = h.statements.find(sql); it != h.statements.end()) {
        statement = it->second;
    } else {
        statement = prepare(h.db, sql);
        if (h.statements.size() >= max_cached) {
            for (auto& [text, cached] : h.statements)
                sqlite3_finalize(cached);
            h.statements.clear();
        }
        h.statements.emplace(sql, statement);
    }
    struct Reset {  // leaves the statement ready for its next use, whatever happens
        sqlite3_stmt* statement;
        ~Reset() {
            sqlite3_reset(statement);
            sqlite3_clear_bindings(statement);
        }
    } reset{statement};

    // Several runs outside a transaction share one (a savepoint): all or nothing, and one
    // commit instead of one per row.
    const bool wrap = runs.size() > 1 && sqlite3_get_autocommit(h.db);
    auto exec = [&](const char* text) {
        if (int rc = sqlite3_exec(h.db, text, nullptr, nullptr, nullptr); rc != SQLITE_OK)
            raise(h.db, rc, text);
    };
    if (wrap) exec("SAVEPOINT typhoon_executemany");
    try {
        auto result = run_all(h, statement, sql, runs);
        sqlite3_reset(statement);
        if (wrap) exec("RELEASE typhoon_executemany");
        return result;
    } catch (...) {
        if (wrap) {
            sqlite3_reset(statement);
            sqlite3_exec(h.db, "ROLLBACK TO typhoon_executemany", nullptr, nullptr, nullptr);
            sqlite3_exec(h.db, "RELEASE typhoon_executemany", nullptr, nullptr, nullptr);
        }
        throw;
    }
}

Result run_all(Handle& h, sqlite3_stmt* statement, const std::string& sql,
               const std::vector<Params>& runs) {
    Result result;
    std::vector<bool> dates;
    result.columns = columns_of(statement, dates);
    for (std::size_t run = 0; run < runs.size(); ++run) {
        sqlite3_reset(statement);
        bind(h.db, statement, runs[run], sql);
        const bool keep = run + 1 == runs.size();
        for (bool first = run == 0;; first = false) {
            int rc = sqlite3_step(statement);
            // A cached statement is prepared again inside its first step when the schema
            // changed since (ALTER TABLE): only then are its columns the current ones.
            if (first) result.columns = columns_of(statement, dates);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) raise(h.db, rc, sql);
            if (keep) result.rows.push_back(read_row(statement, result.columns, dates));
        }
        result.rowcount += result.columns->empty() ? sqlite3_changes(h.db)
                                                   : static_cast<std::int64_t>(result.rows.size());
    }
    result.lastrowid = sqlite3_last_insert_rowid(h.db);
    return result;
}

class SQLiteBackend final : public Backend {
public:
    SQLiteBackend(const Settings& settings, ioloop::IOLoop& loop)
        : settings_(settings), loop_(loop), handle_(std::make_shared<Handle>()) {}
    ~SQLiteBackend() override { close(); }

    awaitable<void> connect() override {
        auto handle = handle_;
        auto path = settings_.path;
        auto busy_ms = static_cast<int>(std::min<std::int64_t>(
            settings_.options.pool_timeout.count(), std::numeric_limits<int>::max()));
        co_await run([handle, path, busy_ms] {
            // NOMUTEX: Handle::mutex already keeps each connection on one thread at a time.
            int rc = sqlite3_open_v2(
                path.c_str(), &handle->db,
                SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
            if (rc != SQLITE_OK) {
                std::string message =
                    "cannot open SQLite database '" + path +
                    "': " + (handle->db ? sqlite3_errmsg(handle->db) : sqlite3_errstr(rc));
                throw OperationalError(message);
            }
            sqlite3_extended_result_codes(handle->db, 1);
            // Writers queue behind each other rather than failing at once with SQLITE_BUSY.
            sqlite3_busy_timeout(handle->db, busy_ms);
            auto pragma = [&](const char* sql) {
                char* error = nullptr;
                if (sqlite3_exec(handle->db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
                    std::string message = "cannot set up SQLite database '" + path +
                                          "': " + (error ? error : "unknown error");
                    sqlite3_free(error);
                    throw OperationalError(message);
                }
            };
            // MariaDB's InnoDB enforces foreign keys; so does SQLite here, for one behaviour.
            pragma("PRAGMA foreign_keys = ON");
            if (path != ":memory:") {
                pragma("PRAGMA journal_mode = WAL");
                // SQLite's advice for WAL: a commit survives a crash of the process, not of the
                // machine's power, and no longer waits for an fsync.
                pragma("PRAGMA synchronous = NORMAL");
            }
        });
    }

    awaitable<Result> execute(const std::string& sql, const std::vector<Params>& runs) override {
        co_return co_await run(
            [handle = handle_, sql, runs] { return run_statement(*handle, sql, runs); });
    }

    awaitable<void> stream_start(const std::string& sql, const Params& params) override {
        buffered_.clear();
        stream_done_ = false;
        co_await run([handle = handle_, sql, params] {
            auto& h = *handle;
            if (!h.db) throw OperationalError("the SQLite connection is closed");
            // Not from the cache: the statement stays busy for as long as the stream lives.
            sqlite3_stmt* statement = prepare(h.db, sql);
            try {
                bind(h.db, statement, params, sql);
            } catch (...) {
                sqlite3_finalize(statement);
                throw;
            }
            h.stream = statement;
            h.stream_columns = columns_of(statement, h.stream_dates);
        });
    }

    awaitable<std::optional<Row>> stream_next() override {
        if (buffered_.empty() && !stream_done_) {
            // A batch per trip to the executor: a thread hop per row would cost more than the row.
            auto batch = co_await run([handle = handle_] {
                auto& h = *handle;
                std::vector<Row> rows;
                constexpr std::size_t batch_size = 256;
                while (rows.size() < batch_size) {
                    int rc = sqlite3_step(h.stream);
                    if (rc == SQLITE_ROW) {
                        rows.push_back(read_row(h.stream, h.stream_columns, h.stream_dates));
                        continue;
                    }
                    std::string sql = sqlite3_sql(h.stream);
                    sqlite3_finalize(h.stream);
                    h.stream = nullptr;
                    if (rc != SQLITE_DONE) raise(h.db, rc, sql);
                    break;
                }
                return std::make_pair(std::move(rows), h.stream == nullptr);
            });
            for (auto& row : batch.first)
                buffered_.push_back(std::move(row));
            stream_done_ = batch.second;
        }
        if (buffered_.empty()) co_return std::nullopt;
        Row row = std::move(buffered_.front());
        buffered_.pop_front();
        co_return row;
    }

    void stream_abandon() noexcept override {
        buffered_.clear();
        std::unique_lock lock(handle_->mutex, std::try_to_lock);
        if (!lock) {
            broken = true;  // an executor thread still steps it: let the pool close the handle
            return;
        }
        sqlite3_finalize(handle_->stream);
        handle_->stream = nullptr;
    }

    const char* begin_sql() const noexcept override {
        // Takes the write lock at once: a deferred transaction that reads, then writes, can
        // fail with SQLITE_BUSY where the busy timeout cannot help.
        return "BEGIN IMMEDIATE";
    }

    void close() noexcept override {
        // The last owner closes it: this backend, or executor work still running on it.
        handle_ = std::make_shared<Handle>();
    }

private:
    /// `work()` on the loop's executor, holding the handle's lock; a failure that leaves the
    /// connection unusable marks it broken.
    template <class F>
    auto run(F work) -> awaitable<std::invoke_result_t<F&>> {
        auto handle = handle_;
        // Past the call's deadline the loop interrupts the statement (sqlite3_interrupt may be
        // called from any thread); it then fails with SQLITE_INTERRUPT and the connection is
        // as good as before.
        auto interrupted = std::make_shared<bool>(false);
        std::optional<boost::asio::steady_timer> alarm;
        if (deadline) {
            alarm.emplace(loop_.get_executor(), *deadline);
            alarm->async_wait([handle, interrupted](const boost::system::error_code& error) {
                if (error || !handle->db) return;
                *interrupted = true;
                sqlite3_interrupt(handle->db);
            });
        }
        try {
            co_return co_await loop_.run_in_executor([handle, work = std::move(work)]() mutable {
                std::lock_guard lock(handle->mutex);
                return work();
            });
        } catch (const OperationalError&) {
            if (*interrupted)
                timed_out = true;
            else
                broken = true;
            throw;
        } catch (const DatabaseError&) {
            throw;
        } catch (...) {
            broken = true;  // cancelled: the work may still run; do not reuse the handle
            throw;
        }
    }

    Settings settings_;
    ioloop::IOLoop& loop_;
    std::shared_ptr<Handle> handle_;
    std::deque<Row> buffered_;
    bool stream_done_ = false;
};

}  // namespace

std::unique_ptr<Backend> make_sqlite_backend(const Settings& settings, ioloop::IOLoop& loop) {
    return std::make_unique<SQLiteBackend>(settings, loop);
}

}  // namespace typhoon::database::detail
