// MariaDB/MySQL through libmariadb's non-blocking API: each call starts, and whenever the client
// library would block it hands back the socket event it needs, which the loop awaits on the
// connection's socket. Hundreds of queries can be in flight on one thread.
//
// Parameters travel in the text protocol, escaped by the client library for the connection's
// character set (mysql_real_escape_string, what MySQLdb under torndb and PyMySQL do) and byte
// strings as hex literals: a value can never end its literal.

#include "backend.hpp"

#include <typhoon/database/errors.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <charconv>
#include <cmath>
#include <cstring>

namespace typhoon::database::detail {

namespace {

namespace asio = boost::asio;

/// Whether the connection is gone or unusable after `code` (client-side errors are 2000-2999).
bool loses_connection(unsigned code) {
    return code >= 2000 || code == ER_CONNECTION_KILLED || code == ER_SERVER_SHUTDOWN ||
           code == ER_QUERY_INTERRUPTED;
}

[[noreturn]] void raise(unsigned code, std::string message, const std::string& sql) {
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
            throw IntegrityError(message);
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
            throw ProgrammingError(message);
        case ER_DATA_TOO_LONG:
        case ER_WARN_DATA_OUT_OF_RANGE:
        case WARN_DATA_TRUNCATED:
        case ER_TRUNCATED_WRONG_VALUE:
        case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
        case ER_DIVISION_BY_ZERO:
            throw DataError(message);
        default:
            throw OperationalError(message);  // lost, refused, denied, deadlock, lock wait
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

boost::json::value field_value(const MYSQL_FIELD& field, const char* data, unsigned long length) {
    if (!data) return nullptr;
    std::string_view text(data, length);
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

void append_literal(MYSQL* mysql, std::string& out, const Param& param, const std::string& sql) {
    const auto& value = param.value();
    if (std::holds_alternative<std::nullptr_t>(value)) {
        out += "NULL";
    } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
        out += std::to_string(*n);
    } else if (const auto* u = std::get_if<std::uint64_t>(&value)) {
        out += std::to_string(*u);
    } else if (const auto* d = std::get_if<double>(&value)) {
        if (!std::isfinite(*d))
            throw DataError(with_sql("MySQL cannot store NaN or infinity", sql));
        char buffer[32];
        // Scientific notation makes an approximate-value (DOUBLE) literal; "0.1" would be DECIMAL.
        auto end =
            std::to_chars(buffer, buffer + sizeof buffer, *d, std::chars_format::scientific).ptr;
        out.append(buffer, end);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
        const std::size_t start = out.size();
        out.resize(start + 2 * s->size() + 3);
        out[start] = '\'';
        auto written = mysql_real_escape_string(mysql, out.data() + start + 1, s->data(),
                                                static_cast<unsigned long>(s->size()));
        if (written == static_cast<unsigned long>(-1))
            throw DataError(
                with_sql("a parameter is not valid in the connection's character set", sql));
        out.resize(start + 1 + written);
        out += '\'';
    } else {
        static constexpr char hex[] = "0123456789ABCDEF";
        const auto& bytes = std::get<Bytes>(value).data;
        out += "X'";
        for (unsigned char c : bytes) {
            out += hex[c >> 4];
            out += hex[c & 15];
        }
        out += '\'';
    }
}

/** `sql` with each `?` outside quotes, backticks and comments replaced by the literal of the
    next parameter. @throws InterfaceError when the counts differ. */
std::string bind(MYSQL* mysql, const std::string& sql, const Params& params) {
    std::string out;
    out.reserve(sql.size() + params.size() * 8);
    std::size_t placeholders = 0;
    const std::size_t n = sql.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char c = sql[i];
        const std::size_t from = i;
        if (c == '\'' || c == '"' || c == '`') {
            for (++i; i < n && sql[i] != c; ++i)
                if (sql[i] == '\\' && c != '`') ++i;
            out.append(sql, from, i - from + 1);
        } else if (c == '#' || (c == '-' && i + 2 < n && sql[i + 1] == '-' &&
                                std::isspace(static_cast<unsigned char>(sql[i + 2])))) {
            while (i < n && sql[i] != '\n')
                ++i;
            out.append(sql, from, i - from + 1);
        } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
            auto end = sql.find("*/", i + 2);
            i = end == std::string::npos ? n : end + 1;
            out.append(sql, from, i - from + 1);
        } else if (c == '?') {
            if (placeholders < params.size()) append_literal(mysql, out, params[placeholders], sql);
            ++placeholders;
        } else {
            out += c;
        }
    }
    if (placeholders != params.size())
        throw InterfaceError(with_sql("the SQL has " + std::to_string(placeholders) +
                                          " placeholders but " + std::to_string(params.size()) +
                                          " parameters were given",
                                      sql));
    return out;
}

class MariaDBBackend final : public Backend {
public:
    MariaDBBackend(const Settings& settings, ioloop::IOLoop& loop)
        : settings_(settings), executor_(loop.get_executor()), timer_(executor_) {}
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
        for (std::size_t run = 0; run < runs.size(); ++run) {
            co_await send(sql, runs[run]);
            if (mysql_field_count(mysql_) == 0) {
                result.rowcount += static_cast<std::int64_t>(mysql_affected_rows(mysql_));
                result.lastrowid = static_cast<std::int64_t>(mysql_insert_id(mysql_));
                continue;
            }
            MYSQL_RES* stored = nullptr;
            co_await drive(
                [&] { return mysql_store_result_start(&stored, mysql_); },
                [&](int ready) { return mysql_store_result_cont(&stored, mysql_, ready); });
            if (!stored) fail(sql);
            // A stored result is all in memory: reading and freeing it do no I/O.
            std::unique_ptr<MYSQL_RES, void (*)(MYSQL_RES*)> owner(stored, mysql_free_result);
            result.columns = columns_of(stored);
            result.rows.clear();
            const MYSQL_FIELD* fields = mysql_fetch_fields(stored);
            while (MYSQL_ROW row = mysql_fetch_row(stored))
                result.rows.push_back(
                    read_row(row, mysql_fetch_lengths(stored), fields, result.columns));
            result.rowcount += static_cast<std::int64_t>(result.rows.size());
        }
        if (!result.columns) result.columns = std::make_shared<const std::vector<std::string>>();
        co_return result;
    }

    awaitable<void> stream_start(const std::string& sql, const Params& params) override {
        co_await send(sql, params);
        stream_sql_ = sql;
        stream_ = mysql_use_result(mysql_);  // no I/O yet: rows are read by stream_next()
        if (!stream_) {
            if (mysql_field_count(mysql_) == 0) co_return;  // not a SELECT: an empty stream
            fail(sql);
        }
        stream_fields_ = mysql_fetch_fields(stream_);
        stream_columns_ = columns_of(stream_);
    }

    awaitable<std::optional<Row>> stream_next() override {
        if (!stream_) co_return std::nullopt;
        MYSQL_ROW row = nullptr;
        co_await drive([&] { return mysql_fetch_row_start(&row, stream_); },
                       [&](int ready) { return mysql_fetch_row_cont(&row, stream_, ready); });
        if (row)
            co_return read_row(row, mysql_fetch_lengths(stream_), stream_fields_, stream_columns_);
        const unsigned code = mysql_errno(mysql_);
        co_await drive([&] { return mysql_free_result_start(stream_); },
                       [&](int ready) { return mysql_free_result_cont(stream_, ready); });
        stream_ = nullptr;
        if (code) fail(stream_sql_);
        co_return std::nullopt;
    }

    void stream_abandon() noexcept override {
        // The unread rows are still on the wire; reading them needs the loop, which a
        // destructor cannot wait for. The connection is closed instead.
        if (stream_) broken = true;
    }

    const char* begin_sql() const noexcept override { return "START TRANSACTION"; }

    void close() noexcept override {
        if (socket_) {
            boost::system::error_code ignored;
            socket_->cancel(ignored);
            socket_->release();  // the fd is libmariadb's: it closes it in mysql_close
            socket_.reset();
        }
        if (stream_) {
            // mysql_free_result would read the unread rows first, blocking; detached from its
            // connection (public MYSQL_RES::handle) it only frees, and the connection closes.
            stream_->handle = nullptr;
            mysql_free_result(stream_);
            stream_ = nullptr;
        }
        if (mysql_) {
            // mysql_close sends COM_QUIT; on a non-blocking socket that cannot block for long.
            mysql_close(mysql_);
            mysql_ = nullptr;
        }
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
        if (!(status & MYSQL_WAIT_TIMEOUT)) {
            co_await socket_->async_wait(type, asio::use_awaitable);
            co_return ready;
        }
        using namespace asio::experimental::awaitable_operators;
        timer_.expires_after(std::chrono::milliseconds(mysql_get_timeout_value_ms(mysql_)));
        auto first = co_await (socket_->async_wait(type, asio::use_awaitable) ||
                               timer_.async_wait(asio::use_awaitable));
        co_return first.index() == 0 ? ready : MYSQL_WAIT_TIMEOUT;
    }

    awaitable<void> send(const std::string& sql, const Params& params) {
        if (!mysql_) throw OperationalError("the MySQL connection is closed");
        const std::string text = bind(mysql_, sql, params);
        int error = 0;
        co_await drive(
            [&] {
                return mysql_real_query_start(&error, mysql_, text.data(),
                                              static_cast<unsigned long>(text.size()));
            },
            [&](int ready) { return mysql_real_query_cont(&error, mysql_, ready); });
        if (error) fail(sql);
    }

    [[noreturn]] void fail(const std::string& sql) {
        const unsigned code = mysql_errno(mysql_);
        if (loses_connection(code)) broken = lost = true;
        raise(code, mysql_error(mysql_), sql);
    }

    static Columns columns_of(MYSQL_RES* result) {
        const unsigned n = mysql_num_fields(result);
        const MYSQL_FIELD* fields = mysql_fetch_fields(result);
        std::vector<std::string> names;
        names.reserve(n);
        for (unsigned i = 0; i < n; ++i)
            names.emplace_back(fields[i].name, fields[i].name_length);
        return std::make_shared<const std::vector<std::string>>(std::move(names));
    }

    static Row read_row(MYSQL_ROW row, const unsigned long* lengths, const MYSQL_FIELD* fields,
                        const Columns& columns) {
        std::vector<boost::json::value> values;
        values.reserve(columns->size());
        for (std::size_t i = 0; i < columns->size(); ++i)
            values.push_back(field_value(fields[i], row[i], lengths[i]));
        return Row(columns, std::move(values));
    }

    Settings settings_;
    asio::any_io_executor executor_;
    asio::steady_timer timer_;
    MYSQL* mysql_ = nullptr;
    std::optional<asio::posix::stream_descriptor> socket_;  // libmariadb's fd, never closed by us
    int fd_ = -1;
    MYSQL_RES* stream_ = nullptr;
    const MYSQL_FIELD* stream_fields_ = nullptr;
    Columns stream_columns_;
    std::string stream_sql_;
};

}  // namespace

std::unique_ptr<Backend> make_mariadb_backend(const Settings& settings, ioloop::IOLoop& loop) {
    return std::make_unique<MariaDBBackend>(settings, loop);
}

}  // namespace typhoon::database::detail
