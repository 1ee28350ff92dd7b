// MariaDB/MySQL through libmariadb's non-blocking API: each call starts, and whenever the client
// library would block it hands back the socket event it needs, which the loop awaits on the
// connection's socket. Hundreds of queries can be in flight on one thread.
//
// Statements are server-side prepared statements and parameters travel in the binary protocol,
// bound by the driver: a value is never part of the SQL text, so no value can end a literal or
// add a statement. Each connection keeps its most recently used statements prepared, keyed by
// their SQL, and a new connection starts with none.

#include "backend.hpp"

#include <typhoon/database/errors.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <list>
#include <type_traits>
#include <unordered_map>

namespace typhoon::database::detail {

namespace {

namespace asio = boost::asio;

/// How many prepared statements a connection keeps. Each holds memory on the server, whose
/// max_prepared_stmt_count (16382 by default) is shared by all its connections.
constexpr std::size_t statement_cache_size = 64;

/// Text and byte columns are read into a buffer of this size first; a longer value is fetched
/// again at its full length, and the buffer grows for the rows after it.
constexpr std::size_t initial_text_buffer = 256;

/// Whether the connection is gone or unusable after `code` (client-side errors are 2000-2999).
bool loses_connection(unsigned code) {
    return code >= 2000 || code == ER_CONNECTION_KILLED || code == ER_SERVER_SHUTDOWN ||
           code == ER_QUERY_INTERRUPTED;
}

[[noreturn]] void raise(unsigned code, std::string message, const std::string& sql,
                        std::string_view sqlstate = {}) {
    message = "(" + std::to_string(code) + ") " + message;
    if (!sql.empty()) message = with_sql(std::move(message), sql);
    switch (code) {
        case ER_DUP_ENTRY:
        case ER_DUP_ENTRY_WITH_KEY_NAME:
        case ER_BAD_NULL_ERROR:
        case ER_NO_REFERENCED_ROW:
        case ER_NO_REFERENCED_ROW_2:
        case ER_ROW_IS_REFERENCED:
        case ER_ROW_IS_REFERENCED_2:
        case ER_NO_DEFAULT_FOR_FIELD:
        case 4025:  // ER_CONSTRAINT_FAILED (CHECK)
            throw IntegrityError(message, std::string(sqlstate));
        case ER_PARSE_ERROR:
        case ER_NO_SUCH_TABLE:
        case ER_BAD_FIELD_ERROR:
        case ER_BAD_TABLE_ERROR:
        case ER_TABLE_EXISTS_ERROR:
        case ER_WRONG_VALUE_COUNT_ON_ROW:
        case ER_SYNTAX_ERROR:
        case ER_NON_UNIQ_ERROR:
        case ER_EMPTY_QUERY:
        case ER_TABLEACCESS_DENIED_ERROR:
        case ER_SP_DOES_NOT_EXIST:
        case ER_WRONG_ARGUMENTS:
        case ER_UNSUPPORTED_PS:
            throw ProgrammingError(message, std::string(sqlstate));
        case ER_DATA_TOO_LONG:
        case ER_WARN_DATA_OUT_OF_RANGE:
        case WARN_DATA_TRUNCATED:
        case ER_TRUNCATED_WRONG_VALUE:
        case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
        case ER_DIVISION_BY_ZERO:
            throw DataError(message, std::string(sqlstate));
        default:
            // SQL class 23 is "integrity constraint violation", whichever error number says so.
            if (sqlstate.starts_with("23")) throw IntegrityError(message, std::string(sqlstate));
            throw OperationalError(
                message, std::string(sqlstate));  // lost, refused, denied, deadlock, lock wait
    }
}

boost::json::value integer(std::string_view text, bool is_unsigned) {
    if (is_unsigned) {
        std::uint64_t u = 0;
        std::from_chars(text.data(), text.data() + text.size(), u);
        if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
        return u;
    }
    std::int64_t n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);
    return n;
}

/** The JSON value of a column read as text: every column of the text protocol, and the columns
    of a prepared statement that are not numbers (libmariadb writes DATE, TIME and DATETIME as
    the text protocol does, and hands DECIMAL, BIT and byte strings over unchanged). */
boost::json::value text_value(const MYSQL_FIELD& field, std::string_view text) {
    switch (field.type) {
        case MYSQL_TYPE_TINY:
        case MYSQL_TYPE_SHORT:
        case MYSQL_TYPE_LONG:
        case MYSQL_TYPE_INT24:
        case MYSQL_TYPE_LONGLONG:
        case MYSQL_TYPE_YEAR:
            return integer(text, field.flags & UNSIGNED_FLAG);
        case MYSQL_TYPE_FLOAT:
        case MYSQL_TYPE_DOUBLE: {
            double d = 0;
            std::from_chars(text.data(), text.data() + text.size(), d);
            return d;
        }
        case MYSQL_TYPE_BIT: {  // big-endian bytes
            std::uint64_t bits = 0;
            for (unsigned char c : text)
                bits = (bits << 8) | c;
            return static_cast<std::int64_t>(bits);
        }
        case MYSQL_TYPE_NULL:
            return nullptr;
        case MYSQL_TYPE_DATETIME:
        case MYSQL_TYPE_TIMESTAMP: {
            boost::json::string iso(text);
            if (iso.size() >= 19 && iso[10] == ' ')
                iso[10] = 'T';  // ISO 8601, as Python's isoformat
            return iso;
        }
        default:
            return boost::json::string(text);  // text, BLOB bytes, DECIMAL digits, DATE, TIME
    }
}

Columns columns_of(const MYSQL_FIELD* fields, unsigned n) {
    std::vector<std::string> names;
    names.reserve(n);
    for (unsigned i = 0; i < n; ++i)
        names.emplace_back(fields[i].name, fields[i].name_length);
    return std::make_shared<const std::vector<std::string>>(std::move(names));
}

/** The parameters of one execution as MYSQL_BINDs. They point into `params`, which must outlive
    the execution. @throws DataError for NaN or infinity, which MySQL cannot store. */
std::vector<MYSQL_BIND> bind_params(const Params& params, const std::string& sql) {
    std::vector<MYSQL_BIND> binds(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        auto& bind = binds[i];
        std::memset(&bind, 0, sizeof bind);
        // libmariadb only reads these buffers, but its MYSQL_BIND is not const-correct.
        auto& value = const_cast<Param::Value&>(params[i].value());
        if (std::holds_alternative<std::nullptr_t>(value)) {
            bind.buffer_type = MYSQL_TYPE_NULL;
        } else if (auto* n = std::get_if<std::int64_t>(&value)) {
            bind.buffer_type = MYSQL_TYPE_LONGLONG;
            bind.buffer = n;
        } else if (auto* u = std::get_if<std::uint64_t>(&value)) {
            bind.buffer_type = MYSQL_TYPE_LONGLONG;
            bind.buffer = u;
            bind.is_unsigned = 1;
        } else if (auto* d = std::get_if<double>(&value)) {
            if (!std::isfinite(*d))
                throw DataError(with_sql("MySQL cannot store NaN or infinity", sql));
            bind.buffer_type = MYSQL_TYPE_DOUBLE;
            bind.buffer = d;
        } else if (auto* s = std::get_if<std::string>(&value)) {
            // Text in the connection's character set, which the server checks and converts.
            bind.buffer_type = MYSQL_TYPE_STRING;
            bind.buffer = s->data();
            bind.buffer_length = static_cast<unsigned long>(s->size());
        } else {
            // A BLOB parameter has the binary character set: its bytes are stored unchanged.
            auto& bytes = std::get<Bytes>(value).data;
            bind.buffer_type = MYSQL_TYPE_BLOB;
            bind.buffer = bytes.data();
            bind.buffer_length = static_cast<unsigned long>(bytes.size());
        }
    }
    return binds;
}

/// Where the columns of a prepared statement's rows are fetched to, and how they become JSON.
class ResultBuffers {
public:
    /// Sizes the buffers for `fields` and binds them to `stmt`.
    void bind(MYSQL_STMT* stmt, const MYSQL_FIELD* fields, unsigned n) {
        stmt_ = stmt;
        // The same statement run again: the buffers (grown ones included) still fit.
        if (fields_ && n == types_.size() &&
            std::equal(types_.begin(), types_.end(), fields, fields + n,
                       [](const auto& type, const MYSQL_FIELD& field) {
                           return type == std::pair(field.type, field.flags & UNSIGNED_FLAG);
                       })) {
            fields_ = fields;
            rebind();
            return;
        }
        fields_ = fields;
        types_.clear();
        for (unsigned i = 0; i < n; ++i)
            types_.emplace_back(fields[i].type, fields[i].flags & UNSIGNED_FLAG);
        columns_.assign(n, Column{});
        binds_.assign(n, MYSQL_BIND{});
        for (unsigned i = 0; i < n; ++i) {
            auto& column = columns_[i];
            auto& bind = binds_[i];
            std::memset(&bind, 0, sizeof bind);
            bind.is_null = &column.null;
            bind.error = &column.error;
            bind.length = &column.length;
            switch (fields[i].type) {
                case MYSQL_TYPE_TINY:
                case MYSQL_TYPE_SHORT:
                case MYSQL_TYPE_LONG:
                case MYSQL_TYPE_INT24:
                case MYSQL_TYPE_LONGLONG:
                case MYSQL_TYPE_YEAR:
                    column.kind = Column::Kind::int64;
                    bind.buffer_type = MYSQL_TYPE_LONGLONG;
                    bind.buffer = &column.whole;
                    bind.is_unsigned = (fields[i].flags & UNSIGNED_FLAG) ? 1 : 0;
                    break;
                case MYSQL_TYPE_DOUBLE:
                    column.kind = Column::Kind::float64;
                    bind.buffer_type = MYSQL_TYPE_DOUBLE;
                    bind.buffer = &column.real;
                    break;
                case MYSQL_TYPE_FLOAT:
                    column.kind = Column::Kind::float32;
                    bind.buffer_type = MYSQL_TYPE_FLOAT;
                    bind.buffer = &column.single;
                    break;
                default:
                    column.kind = Column::Kind::chars;
                    column.text.resize(initial_text_buffer);
                    bind.buffer_type = MYSQL_TYPE_STRING;
                    bind.buffer = column.text.data();
                    bind.buffer_length = static_cast<unsigned long>(column.text.size());
                    break;
            }
        }
        rebind();
    }

    /// The row mysql_stmt_fetch just fetched.
    Row row(const Columns& names) {
        std::vector<boost::json::value> values;
        values.reserve(columns_.size());
        bool grown = false;
        for (unsigned i = 0; i < columns_.size(); ++i) {
            auto& column = columns_[i];
            if (column.null) {
                values.emplace_back(nullptr);
                continue;
            }
            switch (column.kind) {
                case Column::Kind::int64:
                    if (binds_[i].is_unsigned &&
                        static_cast<std::uint64_t>(column.whole) > INT64_MAX)
                        values.emplace_back(static_cast<std::uint64_t>(column.whole));
                    else
                        values.emplace_back(column.whole);
                    break;
                case Column::Kind::float64:
                    values.emplace_back(column.real);
                    break;
                case Column::Kind::float32: {
                    // The float's shortest decimal form, as the text protocol shows it: FLOAT
                    // 0.1 reads as 0.1, not as the double nearest to the float nearest 0.1.
                    char buffer[32];
                    auto end = std::to_chars(buffer, buffer + sizeof buffer, column.single).ptr;
                    double d = 0;
                    std::from_chars(buffer, end, d);
                    values.emplace_back(d);
                    break;
                }
                case Column::Kind::chars:
                    if (column.length > column.text.size()) {
                        // Truncated: the whole value is still in the fetched row (no I/O).
                        column.text.resize(column.length);
                        MYSQL_BIND whole = binds_[i];
                        whole.buffer = column.text.data();
                        whole.buffer_length = column.length;
                        if (mysql_stmt_fetch_column(stmt_, &whole, i, 0))
                            throw OperationalError(std::string("mysql_stmt_fetch_column: ") +
                                                   mysql_stmt_error(stmt_));
                        binds_[i].buffer = column.text.data();
                        binds_[i].buffer_length = static_cast<unsigned long>(column.text.size());
                        grown = true;
                    }
                    values.push_back(text_value(
                        fields_[i], std::string_view(column.text.data(), column.length)));
                    break;
            }
        }
        // The grown buffers serve the next rows, which are then fetched whole at once.
        if (grown) rebind();
        return Row(names, std::move(values));
    }

private:
    void rebind() {
        if (!binds_.empty() && mysql_stmt_bind_result(stmt_, binds_.data()))
            throw OperationalError(std::string("mysql_stmt_bind_result: ") +
                                   mysql_stmt_error(stmt_));
    }

    struct Column {
        enum class Kind { int64, float64, float32, chars } kind = Kind::chars;
        std::int64_t whole = 0;
        double real = 0;
        float single = 0;
        std::string text;
        unsigned long length = 0;
        my_bool null = 0;
        my_bool error = 0;
    };

    MYSQL_STMT* stmt_ = nullptr;
    const MYSQL_FIELD* fields_ = nullptr;
    std::vector<std::pair<enum_field_types, unsigned>> types_;  // what the buffers were made for
    std::vector<Column> columns_;  // sized once per bind(): the binds point into it
    std::vector<MYSQL_BIND> binds_;
};

/// A prepared statement of the connection, with what its last execution returned.
struct Statement {
    MYSQL_STMT* stmt = nullptr;
    std::string sql;
    bool prepared = false;
    Columns columns;  // the column names of its last result, shared by its rows
    ResultBuffers buffers;
};

class MariaDBBackend final : public Backend {
public:
    MariaDBBackend(const Settings& settings, ioloop::IOLoop& loop)
        : settings_(settings), loop_(&loop), executor_(loop.get_executor()), timer_(executor_) {}
    ~MariaDBBackend() override { close(); }

    awaitable<void> connect() override {
        mysql_ = mysql_init(nullptr);
        if (!mysql_) throw OperationalError("mysql_init failed: out of memory");
        const auto& options = settings_.options;
        mysql_options(mysql_, MYSQL_OPT_NONBLOCK, nullptr);
        mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, options.charset.c_str());
        unsigned seconds = static_cast<unsigned>((options.connect_timeout.count() + 999) / 1000);
        if (seconds > 0) mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
        MYSQL* connected = nullptr;
        const char* socket =
            settings_.unix_socket.empty() ? nullptr : settings_.unix_socket.c_str();
        auto empty_is_null = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
        // CLIENT_FOUND_ROWS: rowcount counts the rows an UPDATE matched, as SQLite's does.
        co_await drive(
            [&] {
                return mysql_real_connect_start(
                    &connected, mysql_, settings_.host.c_str(), empty_is_null(options.user),
                    empty_is_null(options.password), empty_is_null(options.database),
                    settings_.port, socket, CLIENT_FOUND_ROWS);
            },
            [&](int ready) { return mysql_real_connect_cont(&connected, mysql_, ready); });
        if (!connected) {
            lost = true;
            std::string where = socket ? settings_.unix_socket
                                       : settings_.host + ":" + std::to_string(settings_.port);
            broken = true;
            throw OperationalError("cannot connect to MySQL at " + where + ": (" +
                                   std::to_string(mysql_errno(mysql_)) + ") " +
                                   mysql_error(mysql_));
        }
        // torndb sets these on every connection: one time zone and strict mode everywhere.
        Params session{options.time_zone, options.sql_mode};
        co_await execute("SET time_zone = ?, sql_mode = ?", {session});
    }

    awaitable<Result> execute(const std::string& sql, const std::vector<Params>& runs) override {
        Result result;
        const bool no_params =
            std::all_of(runs.begin(), runs.end(), [](const Params& p) { return p.empty(); });
        Statement* statement = co_await prepared(sql, no_params);
        if (!statement) co_return co_await execute_text(sql, runs.size());
        // Every list is checked before the first runs, so that a wrong one runs none of them.
        for (const auto& params : runs)
            check_count(statement->stmt, params, sql);
        for (std::size_t run = 0; run < runs.size(); ++run) {
            statement = co_await run_statement(statement, sql, runs[run]);
            MYSQL_STMT* stmt = statement->stmt;
            if (mysql_stmt_field_count(stmt) == 0) {
                result.rowcount += static_cast<std::int64_t>(mysql_stmt_affected_rows(stmt));
                result.lastrowid = static_cast<std::int64_t>(mysql_stmt_insert_id(stmt));
                continue;
            }
            int error = 0;
            co_await call(mysql_stmt_store_result_start, mysql_stmt_store_result_cont, error, stmt);
            if (error) fail(stmt, sql);
            // A stored result is all in memory: fetching from it does no I/O.
            result.columns = statement->columns;
            result.rows.clear();
            while (true) {
                const int status = mysql_stmt_fetch(stmt);
                if (status == MYSQL_NO_DATA) break;
                if (status == 1) fail(stmt, sql);
                result.rows.push_back(statement->buffers.row(statement->columns));
            }
            // Frees the stored rows now rather than at the statement's next run (all were read,
            // so no I/O): a cached statement does not keep a large result alive.
            mysql_stmt_free_result(stmt);
            result.rowcount += static_cast<std::int64_t>(result.rows.size());
        }
        if (!result.columns) result.columns = std::make_shared<const std::vector<std::string>>();
        co_return result;
    }

    awaitable<void> stream_start(const std::string& sql, const Params& params) override {
        Statement* statement = co_await prepared(sql, params.empty());
        if (!statement) {
            co_await query_text(sql);
            stream_sql_ = sql;
            stream_text_ = mysql_use_result(mysql_);  // no I/O yet: stream_next() reads rows
            if (!stream_text_) {
                if (mysql_field_count(mysql_) == 0) co_return;  // not a SELECT: an empty stream
                fail(sql);
            }
            stream_fields_ = mysql_fetch_fields(stream_text_);
            stream_columns_ = columns_of(stream_fields_, mysql_num_fields(stream_text_));
            co_return;
        }
        statement = co_await run_statement(statement, sql, params);
        if (mysql_stmt_field_count(statement->stmt) == 0) co_return;  // an empty stream
        // No store_result: each stream_next() fetches one row off the socket, so the result is
        // never held whole, here or in libmariadb.
        stream_ = statement;
        stream_sql_ = sql;
    }

    awaitable<std::optional<Row>> stream_next() override {
        if (stream_text_) co_return co_await stream_next_text();
        if (!stream_) co_return std::nullopt;
        MYSQL_STMT* stmt = stream_->stmt;
        int status = 0;
        co_await call(mysql_stmt_fetch_start, mysql_stmt_fetch_cont, status, stmt);
        if (status == 0 || status == MYSQL_DATA_TRUNCATED)
            co_return stream_->buffers.row(stream_->columns);
        Statement* finished = std::exchange(stream_, nullptr);
        if (status != MYSQL_NO_DATA) fail(finished->stmt, stream_sql_);
        co_return std::nullopt;
    }

    void stream_abandon() noexcept override {
        // The unread rows are still on the wire; reading them needs the loop, which a
        // destructor cannot wait for. The connection is closed instead.
        if (stream_ || stream_text_) broken = true;
    }

    const char* begin_sql() const noexcept override { return "START TRANSACTION"; }

    void close() noexcept override {
        if (socket_) {
            boost::system::error_code ignored;
            socket_->cancel(ignored);
            socket_->release();  // the fd is libmariadb's: it closes it in mysql_close
            socket_.reset();
        }
        if (stream_text_) {
            // mysql_free_result would read the unread rows first, blocking; detached from its
            // connection (public MYSQL_RES::handle) it only frees, and the connection closes.
            stream_text_->handle = nullptr;
            mysql_free_result(stream_text_);
            stream_text_ = nullptr;
        }
        stream_ = nullptr;
        if (mysql_) {
            // mysql_close sends COM_QUIT; on a non-blocking socket that cannot block for long.
            // It also detaches every statement from the connection, so that closing them below
            // only frees memory: the server drops a connection's statements with it.
            mysql_close(mysql_);
            mysql_ = nullptr;
        }
        for (auto& statement : statements_)
            mysql_stmt_close(statement.stmt);
        statements_.clear();
        by_sql_.clear();
    }

private:
    /** Runs one non-blocking call to its end: `start()` and then `cont(ready)` return what the
        client library waits for (0 when done), and the loop waits for it on the socket. A
        failure or cancellation part-way leaves the protocol mid-message: the connection is
        then marked broken, never reused. */
    template <class Start, class Cont>
    awaitable<void> drive(Start start, Cont cont) {
        if (!mysql_) throw OperationalError("the MySQL connection is closed");
        broken = true;
        int status = start();
        while (status != 0)
            status = cont(co_await wait(status));
        broken = false;
    }

    /** drive() for the usual pair of the client library, `start(&result, handle, args...)` then
        `cont(&result, handle, ready)`. Not a coroutine: drive()'s frame keeps the copies. */
    template <class Result, class Handle, class... Args>
    awaitable<void> call(int (*start)(Result*, Handle*, Args...),
                         int (*cont)(Result*, Handle*, int), Result& result, Handle* handle,
                         std::type_identity_t<Args>... args) {
        return drive([=, &result] { return start(&result, handle, args...); },
                     [=, &result](int ready) { return cont(&result, handle, ready); });
    }

    awaitable<int> wait(int status) {
        const int fd = static_cast<int>(mysql_get_socket(mysql_));
        if (!socket_ || fd != fd_) {
            if (socket_) socket_->release();
            socket_.emplace(executor_, fd);
            fd_ = fd;
        }
        const auto type = (status & MYSQL_WAIT_READ)    ? asio::posix::descriptor_base::wait_read
                          : (status & MYSQL_WAIT_WRITE) ? asio::posix::descriptor_base::wait_write
                                                        : asio::posix::descriptor_base::wait_error;
        const int ready = (status & MYSQL_WAIT_READ)    ? MYSQL_WAIT_READ
                          : (status & MYSQL_WAIT_WRITE) ? MYSQL_WAIT_WRITE
                                                        : MYSQL_WAIT_EXCEPT;
        using namespace asio::experimental::awaitable_operators;
        while (true) {
            // The earlier of the client library's own timeout and the call's deadline.
            std::optional<std::chrono::steady_clock::time_point> until;
            if (status & MYSQL_WAIT_TIMEOUT)
                until = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(mysql_get_timeout_value_ms(mysql_));
            const bool limited = deadline && !timed_out;
            if (limited && (!until || *deadline < *until)) until = *deadline;
            if (!until) {
                co_await socket_->async_wait(type, asio::use_awaitable);
                co_return ready;
            }
            timer_.expires_at(*until);
            auto first = co_await (socket_->async_wait(type, asio::use_awaitable) ||
                                   timer_.async_wait(asio::use_awaitable));
            if (first.index() == 0) co_return ready;
            if (!limited || std::chrono::steady_clock::now() < *deadline)
                co_return MYSQL_WAIT_TIMEOUT;
            // Past the deadline: the server stops the statement, which then fails with
            // ER_QUERY_INTERRUPTED; the connection is closed after it, as after any loss.
            timed_out = true;
            co_await kill_query();
        }
    }

    /** KILL QUERY from a short-lived connection of its own, made with the blocking API on the
        loop's executor (the server needs another session to hear it; the loop never waits). */
    awaitable<void> kill_query() {
        const unsigned long id = mysql_thread_id(mysql_);
        co_await loop_->run_in_executor([settings = settings_, id] {
            MYSQL* killer = mysql_init(nullptr);
            if (!killer) return 0;
            unsigned seconds = 5;
            mysql_options(killer, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
            const auto& options = settings.options;
            auto empty_is_null = [](const std::string& s) {
                return s.empty() ? nullptr : s.c_str();
            };
            if (mysql_real_connect(killer, settings.host.c_str(), empty_is_null(options.user),
                                   empty_is_null(options.password), nullptr, settings.port,
                                   empty_is_null(settings.unix_socket), 0)) {
                const std::string kill = "KILL QUERY " + std::to_string(id);
                mysql_query(killer, kill.c_str());
            }
            mysql_close(killer);
            return 0;
        });
    }

    /** The prepared statement for `sql`, from the cache or prepared now (evicting the least
        recently used one when the cache is full). nullptr when the server cannot prepare this
        kind of statement and `text_allowed` (it has no parameters): the caller then sends it
        as a plain query. */
    awaitable<Statement*> prepared(const std::string& sql, bool text_allowed) {
        if (!mysql_) throw OperationalError("the MySQL connection is closed");
        if (auto found = by_sql_.find(sql); found != by_sql_.end()) {
            statements_.splice(statements_.begin(), statements_, found->second);
            co_return &*found->second;
        }
        while (statements_.size() >= statement_cache_size)
            co_await forget(std::prev(statements_.end()));
        MYSQL_STMT* stmt = mysql_stmt_init(mysql_);
        if (!stmt) throw OperationalError("mysql_stmt_init failed: out of memory");
        // Owned by the list from here, so that close() frees it whatever happens next.
        statements_.push_front(Statement{.stmt = stmt, .sql = sql});
        auto entry = statements_.begin();
        int error = 0;
        co_await call(mysql_stmt_prepare_start, mysql_stmt_prepare_cont, error, stmt, sql.data(),
                      sql.size());
        if (error) {
            const unsigned code = mysql_stmt_errno(stmt);
            const std::string message = mysql_stmt_error(stmt);
            const std::string sqlstate = mysql_stmt_sqlstate(stmt);
            if (loses_connection(code)) {
                broken = lost = true;
            } else {
                co_await forget(entry);
            }
            // The server's max_prepared_stmt_count counts every connection's statements: this
            // one gives back those it keeps for later and tries once more.
            if (code == ER_MAX_PREPARED_STMT_COUNT_REACHED && !statements_.empty()) {
                while (!statements_.empty())
                    co_await forget(std::prev(statements_.end()));
                co_return co_await prepared(sql, text_allowed);
            }
            if (code == ER_UNSUPPORTED_PS && text_allowed) co_return nullptr;
            if (code == ER_UNSUPPORTED_PS)
                throw ProgrammingError(with_sql(
                    "(" + std::to_string(code) + ") " + message +
                        "; MariaDB cannot prepare this statement, so it cannot take parameters",
                    sql));
            raise(code, message, sql, sqlstate);
        }
        entry->prepared = true;
        by_sql_.emplace(sql, entry);
        co_return &*entry;
    }

    /// Closes a statement on the server and drops it from the cache.
    awaitable<void> forget(std::list<Statement>::iterator entry) {
        if (entry->prepared) by_sql_.erase(entry->sql);
        MYSQL_STMT* stmt = entry->stmt;
        // Dropped before closing: mysql_stmt_close frees the statement, and one cut short (its
        // coroutine cancelled) has already left the connection's list, so close() must not
        // free it again; such a rare one is leaked rather than freed twice.
        statements_.erase(entry);
        my_bool failed = 0;
        // COM_STMT_CLOSE has no reply: this only writes.
        co_await call(mysql_stmt_close_start, mysql_stmt_close_cont, failed, stmt);
        if (failed) {
            // Only a lost connection makes closing fail; the server dropped the statement.
            broken = lost = true;
            throw OperationalError("cannot close a MySQL statement: the connection was lost");
        }
    }

    /** Executes `statement` with `params`; binds the buffers its rows are fetched to. Returns
        the statement executed, which is a new one when the server reported that the tables
        changed shape since it was prepared. */
    awaitable<Statement*> run_statement(Statement* statement, const std::string& sql,
                                        const Params& params) {
        for (int attempt = 0;; ++attempt) {
            MYSQL_STMT* stmt = statement->stmt;
            check_count(stmt, params, sql);
            auto binds = bind_params(params, sql);
            if (!binds.empty() && mysql_stmt_bind_param(stmt, binds.data())) fail(stmt, sql);
            int error = 0;
            co_await call(mysql_stmt_execute_start, mysql_stmt_execute_cont, error, stmt);
            if (error) {
                const unsigned code = mysql_stmt_errno(stmt);
                // The result's columns no longer match the statement's (a table was altered):
                // prepare it again, once. Only a statement that returns rows gets here.
                if ((code == CR_NEW_STMT_METADATA || code == ER_NEED_REPREPARE) && attempt == 0) {
                    auto entry = by_sql_.at(statement->sql);
                    co_await forget(entry);
                    statement = co_await prepared(sql, false);
                    continue;
                }
                fail(stmt, sql);
            }
            const unsigned n = mysql_stmt_field_count(stmt);
            if (n > 0) {
                // The metadata of this execution, which a changed table may have renamed.
                const MYSQL_FIELD* fields = mysql_->fields ? mysql_->fields : stmt->fields;
                if (!statement->columns || !same_names(*statement->columns, fields, n))
                    statement->columns = columns_of(fields, n);
                statement->buffers.bind(stmt, stmt->fields, n);
            }
            co_return statement;
        }
    }

    /// @throws ProgrammingError when `params` does not fill the statement's `?`s exactly.
    static void check_count(MYSQL_STMT* stmt, const Params& params, const std::string& sql) {
        const unsigned long expected = mysql_stmt_param_count(stmt);
        if (expected != params.size())
            throw ProgrammingError(
                with_sql("the SQL has " + std::to_string(expected) + " placeholders but " +
                             std::to_string(params.size()) + " parameters were given",
                         sql));
    }

    static bool same_names(const std::vector<std::string>& names, const MYSQL_FIELD* fields,
                           unsigned n) {
        if (names.size() != n) return false;
        for (unsigned i = 0; i < n; ++i)
            if (names[i] != std::string_view(fields[i].name, fields[i].name_length)) return false;
        return true;
    }

    /// A statement the server cannot prepare, without parameters, as a plain query.
    awaitable<void> query_text(const std::string& sql) {
        int error = 0;
        co_await call(mysql_real_query_start, mysql_real_query_cont, error, mysql_, sql.data(),
                      sql.size());
        if (error) fail(sql);
    }

    awaitable<Result> execute_text(const std::string& sql, std::size_t runs) {
        Result result;
        for (std::size_t run = 0; run < runs; ++run) {
            co_await query_text(sql);
            if (mysql_field_count(mysql_) == 0) {
                result.rowcount += static_cast<std::int64_t>(mysql_affected_rows(mysql_));
                result.lastrowid = static_cast<std::int64_t>(mysql_insert_id(mysql_));
                continue;
            }
            MYSQL_RES* stored = nullptr;
            co_await call(mysql_store_result_start, mysql_store_result_cont, stored, mysql_);
            if (!stored) fail(sql);
            // A stored result is all in memory: reading and freeing it do no I/O.
            std::unique_ptr<MYSQL_RES, void (*)(MYSQL_RES*)> owner(stored, mysql_free_result);
            const MYSQL_FIELD* fields = mysql_fetch_fields(stored);
            result.columns = columns_of(fields, mysql_num_fields(stored));
            result.rows.clear();
            while (MYSQL_ROW row = mysql_fetch_row(stored))
                result.rows.push_back(
                    text_row(row, mysql_fetch_lengths(stored), fields, result.columns));
            result.rowcount += static_cast<std::int64_t>(result.rows.size());
        }
        if (!result.columns) result.columns = std::make_shared<const std::vector<std::string>>();
        co_return result;
    }

    awaitable<std::optional<Row>> stream_next_text() {
        MYSQL_ROW row = nullptr;
        co_await call(mysql_fetch_row_start, mysql_fetch_row_cont, row, stream_text_);
        if (row)
            co_return text_row(row, mysql_fetch_lengths(stream_text_), stream_fields_,
                               stream_columns_);
        const unsigned code = mysql_errno(mysql_);
        co_await drive([&] { return mysql_free_result_start(stream_text_); },
                       [&](int ready) { return mysql_free_result_cont(stream_text_, ready); });
        stream_text_ = nullptr;
        if (code) fail(stream_sql_);
        co_return std::nullopt;
    }

    static Row text_row(MYSQL_ROW row, const unsigned long* lengths, const MYSQL_FIELD* fields,
                        const Columns& columns) {
        std::vector<boost::json::value> values;
        values.reserve(columns->size());
        for (std::size_t i = 0; i < columns->size(); ++i)
            values.push_back(row[i] ? text_value(fields[i], std::string_view(row[i], lengths[i]))
                                    : boost::json::value(nullptr));
        return Row(columns, std::move(values));
    }

    [[noreturn]] void fail(const std::string& sql) {
        const unsigned code = mysql_errno(mysql_);
        if (loses_connection(code)) broken = lost = true;
        raise(code, mysql_error(mysql_), sql, mysql_sqlstate(mysql_));
    }

    [[noreturn]] void fail(MYSQL_STMT* stmt, const std::string& sql) {
        const unsigned code = mysql_stmt_errno(stmt);
        if (loses_connection(code)) broken = lost = true;
        raise(code, mysql_stmt_error(stmt), sql, mysql_stmt_sqlstate(stmt));
    }

    Settings settings_;
    ioloop::IOLoop* loop_;
    asio::any_io_executor executor_;
    asio::steady_timer timer_;
    MYSQL* mysql_ = nullptr;
    std::optional<asio::posix::stream_descriptor> socket_;  // libmariadb's fd, never closed by us
    int fd_ = -1;
    // Prepared statements, most recently used first, and the same found by their SQL.
    std::list<Statement> statements_;
    std::unordered_map<std::string, std::list<Statement>::iterator> by_sql_;
    Statement* stream_ = nullptr;       // a prepared statement whose rows are being streamed
    MYSQL_RES* stream_text_ = nullptr;  // or a plain query's
    const MYSQL_FIELD* stream_fields_ = nullptr;
    Columns stream_columns_;
    std::string stream_sql_;
};

}  // namespace

std::unique_ptr<Backend> make_mariadb_backend(const Settings& settings, ioloop::IOLoop& loop) {
    return std::make_unique<MariaDBBackend>(settings, loop);
}

}  // namespace typhoon::database::detail
