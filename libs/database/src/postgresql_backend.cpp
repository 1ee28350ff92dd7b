// PostgreSQL through libpq's asynchronous API, driven from the loop: PQconnectStartParams and
// PQconnectPoll to connect, then the connection in pipeline mode, where every call queues its
// messages (Parse once per statement, Bind/Execute per run) and one Sync, flushes them, and reads
// the results as PQconsumeInput brings them in. The loop waits on libpq's socket; no thread is
// involved, and libpq does all the protocol work.
//
// Parameters travel apart from the SQL, bound by libpq ($1, $2, ...): a value is never part of
// the statement's text. Statements are prepared under a name once per connection and kept, the
// most recently used ones, keyed by their SQL and the types of their parameters.

#include "backend.hpp"
#include "postgresql_sql.hpp"
#include "postgresql_values.hpp"

#include <typhoon/database/errors.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <libpq-fe.h>

#include <cstring>
#include <list>
#include <unordered_map>

namespace typhoon::database::detail {

void check_conninfo(const std::string& conninfo) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (options) {
        PQconninfoFree(options);
        return;
    }
    std::string message = error ? error : "out of memory";
    PQfreemem(error);
    while (!message.empty() && message.back() == '\n')
        message.pop_back();
    // Not the URL itself: it may hold a password, and errors end up in logs.
    throw InterfaceError("bad PostgreSQL URL: " + message);
}

namespace {

namespace asio = boost::asio;

/// How many prepared statements a connection keeps (each holds a plan in its server process).
constexpr std::size_t statement_cache_size = 64;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

/** Raises the error of a failed statement as the PEP 249 class its SQLSTATE names (the
    classes psycopg and asyncpg use), keeping the server's message and its detail. */
[[noreturn]] void raise(const PGresult* result, const std::string& sql) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const std::string sqlstate = state ? state : "";
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    std::string message = primary ? primary : PQresultErrorMessage(result);
    while (!message.empty() && message.back() == '\n')
        message.pop_back();
    if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL))
        message += std::string(" (") + detail + ")";
    message = with_sql("(" + sqlstate + ") " + message, sql);
    const std::string_view c(sqlstate);
    if (c.starts_with("23")) throw IntegrityError(message, sqlstate);
    if (c.starts_with("22")) throw DataError(message, sqlstate);
    if (c.starts_with("42") || c.starts_with("0A") || c.starts_with("26") || c.starts_with("34") ||
        c == "08P01")
        throw ProgrammingError(message, sqlstate);
    throw OperationalError(message, sqlstate);  // lost, cancelled, deadlock, serialization, ...
}

class PostgreSQLBackend final : public Backend {
public:
    PostgreSQLBackend(const Settings& settings, ioloop::IOLoop& loop)
        : settings_(settings), loop_(&loop), executor_(loop.get_executor()), timer_(executor_) {}
    ~PostgreSQLBackend() override { close(); }

    awaitable<void> connect() override {
        // The URL comes last: what it says (client_encoding included) wins.
        const char* keys[] = {"client_encoding", "fallback_application_name", "dbname", nullptr};
        const char* values[] = {"UTF8", "typhoon", settings_.conninfo.c_str(), nullptr};
        conn_ = PQconnectStartParams(keys, values, /*expand_dbname=*/1);
        if (!conn_) throw OperationalError("PQconnectStartParams: out of memory");
        broken = true;
        const auto deadline = std::chrono::steady_clock::now() + settings_.options.connect_timeout;
        // libpq's own connect_timeout would block in the poll loop; ours waits on the loop.
        auto poll = PGRES_POLLING_WRITING;
        while (PQstatus(conn_) != CONNECTION_BAD && poll != PGRES_POLLING_OK &&
               poll != PGRES_POLLING_FAILED) {
            if (!co_await wait(poll == PGRES_POLLING_READING ? Wait::read : Wait::write, deadline))
                fail_connect("no answer within " +
                             std::to_string(settings_.options.connect_timeout.count()) + " ms");
            poll = PQconnectPoll(conn_);  // may have moved to another socket (another host)
        }
        if (PQstatus(conn_) != CONNECTION_OK) fail_connect(PQerrorMessage(conn_));
        PQsetNoticeProcessor(
            conn_, [](void*, const char*) {}, nullptr);  // not to stderr
        if (PQsetnonblocking(conn_, 1) != 0 || PQenterPipelineMode(conn_) != 1)
            fail_connect(PQerrorMessage(conn_));
        broken = false;
        // lastval() raises when this session has used no sequence yet, which would abort a
        // transaction; this function answers NULL instead. A read-only server refuses it,
        // and its INSERTs report no id.
        try {
            co_await simple(
                "CREATE FUNCTION pg_temp.typhoon_lastval() RETURNS bigint LANGUAGE plpgsql AS "
                "$$BEGIN RETURN lastval(); EXCEPTION WHEN object_not_in_prerequisite_state THEN "
                "RETURN NULL; END$$");
            has_lastval_ = true;
        } catch (const OperationalError&) {
            if (broken) throw;
        } catch (const DatabaseError&) {
        }
    }

    awaitable<Result> execute(const std::string& sql, const std::vector<Params>& runs) override {
        if (!conn_) throw OperationalError("the PostgreSQL connection is closed");
        const auto statement = postgresql_statement(sql);
        // Every list is checked before the first runs, so that a wrong one runs none of them.
        std::vector<PostgreSQLParams> bound;
        bound.reserve(runs.size());
        for (const auto& params : runs) {
            check_count(statement, params, sql);
            bound.emplace_back(params, sql);
        }
        for (int attempt = 0;; ++attempt) {
            try {
                co_return co_await run_pipeline(statement, bound, sql);
            } catch (const ProgrammingError& e) {
                // A table changed shape under a statement prepared before: PostgreSQL refuses
                // to run its old plan. Outside a transaction nothing ran, so it is prepared again.
                if (attempt > 0 || e.sqlstate() != "0A000" ||
                    std::string_view(e.what()).find("cached plan") == std::string_view::npos ||
                    PQtransactionStatus(conn_) != PQTRANS_IDLE)
                    throw;
                forget_all();
            }
        }
    }

    awaitable<void> stream_start(const std::string& sql, const Params& params) override {
        if (!conn_) throw OperationalError("the PostgreSQL connection is closed");
        const auto statement = postgresql_statement(sql);
        check_count(statement, params, sql);
        PostgreSQLParams bound(params, sql);
        broken = true;
        // Single-row mode, outside the pipeline: each row is its own PGresult, taken off the
        // socket as it is read, so that neither libpq nor we ever hold the whole result.
        if (PQexitPipelineMode(conn_) != 1 ||
            !PQsendQueryParams(conn_, statement.sql.c_str(), static_cast<int>(bound.values.size()),
                               bound.types.data(), bound.values.data(), bound.lengths.data(),
                               bound.formats.data(), 0) ||
            !PQsetSingleRowMode(conn_))
            lose("cannot send the query");
        co_await flush();
        stream_sql_ = sql;
        stream_active_ = true;
        // The first result tells an error (bad SQL) now, from iter() itself.
        auto first = co_await next_result();
        if (!first) {
            co_await end_stream();
            co_return;
        }
        const auto status = PQresultStatus(first.get());
        if (status == PGRES_SINGLE_TUPLE) {
            stream_columns_ = columns_of(first.get());
            pending_ = std::move(first);
            co_return;
        }
        co_await end_stream();
        if (status == PGRES_FATAL_ERROR) raise(first.get(), sql);
    }

    awaitable<std::optional<Row>> stream_next() override {
        if (!stream_active_) co_return std::nullopt;
        ResultPtr result = pending_ ? std::move(pending_) : co_await next_result();
        if (result && PQresultStatus(result.get()) == PGRES_SINGLE_TUPLE)
            co_return row_of(result.get(), 0, stream_columns_);
        co_await end_stream();
        if (result && PQresultStatus(result.get()) == PGRES_FATAL_ERROR)
            raise(result.get(), stream_sql_);
        co_return std::nullopt;
    }

    void stream_abandon() noexcept override {
        // The unread rows are still coming; reading them past needs the loop, which a
        // destructor cannot wait for. The connection is closed instead.
        if (stream_active_) broken = true;
    }

    const char* begin_sql() const noexcept override { return "BEGIN"; }

    awaitable<void> listen(const std::string& channel, bool on) override {
        if (!conn_) throw OperationalError("the PostgreSQL connection is closed");
        char* quoted = PQescapeIdentifier(conn_, channel.data(), channel.size());
        if (!quoted)
            throw InterfaceError(std::string("bad channel name: ") + PQerrorMessage(conn_));
        const std::string sql = (on ? "LISTEN " : "UNLISTEN ") + std::string(quoted);
        PQfreemem(quoted);
        co_await simple(sql.c_str());
    }

    awaitable<Notification> next_notification() override {
        if (!conn_) throw OperationalError("the PostgreSQL connection is closed");
        while (true) {
            if (PGnotify* notify = PQnotifies(conn_)) {
                Notification out{notify->relname, notify->extra, notify->be_pid};
                PQfreemem(notify);
                co_return out;
            }
            co_await wait(Wait::read, std::nullopt);
            if (!PQconsumeInput(conn_)) lose("cannot read");
            // A server that ends the session says why first: take that as the error.
            if (PQstatus(conn_) == CONNECTION_BAD) lose("the server closed the connection");
        }
    }

    void close() noexcept override {
        if (socket_) {
            boost::system::error_code ignored;
            socket_->cancel(ignored);
            socket_->release();  // the fd is libpq's: PQfinish closes it
            socket_.reset();
        }
        pending_.reset();
        if (conn_) {
            PQfinish(conn_);
            conn_ = nullptr;
        }
        statements_.clear();
        by_key_.clear();
    }

private:
    enum class Wait { read, write, either };

    /// A prepared statement of this connection.
    struct Statement {
        std::string key;   // SQL, NUL, parameter types
        std::string name;  // typhoon_<n>
    };

    /// What one message of a pipeline answers, in the order they were queued.
    enum class Step { prepare, run, lastval, deallocate };

    static void check_count(const PostgreSQLStatement& statement, const Params& params,
                            const std::string& sql) {
        if (static_cast<std::size_t>(statement.placeholders) != params.size())
            throw ProgrammingError(with_sql(
                "the SQL has " + std::to_string(statement.placeholders) + " placeholders but " +
                    std::to_string(params.size()) + " parameters were given",
                sql));
    }

    /** Queues each run, prepared first where this connection has not prepared it yet, then
        one Sync: a single round trip, and one implicit transaction for all the runs. */
    awaitable<Result> run_pipeline(const PostgreSQLStatement& statement,
                                   const std::vector<PostgreSQLParams>& bound,
                                   const std::string& sql) {
        broken = true;
        std::vector<std::pair<Step, std::string>> steps;  // the statement's name for a prepare
        for (auto& name : to_deallocate_) {
            const auto command = "DEALLOCATE " + name;
            if (!PQsendQueryParams(conn_, command.c_str(), 0, nullptr, nullptr, nullptr, nullptr,
                                   0))
                lose("cannot queue a statement");
            steps.emplace_back(Step::deallocate, std::string());
        }
        to_deallocate_.clear();
        std::vector<std::string> names;
        for (const auto& run : bound) {
            std::string key = statement.sql;
            key += '\0';
            key += run.signature;
            std::string name;
            if (auto found = by_key_.find(key); found != by_key_.end()) {
                statements_.splice(statements_.begin(), statements_, found->second);
                name = found->second->name;
            } else {
                name = "typhoon_" + std::to_string(++statements_made_);
                if (!PQsendPrepare(conn_, name.c_str(), statement.sql.c_str(),
                                   static_cast<int>(run.types.size()), run.types.data()))
                    lose("cannot queue a statement");
                statements_.push_front(Statement{key, name});
                by_key_.emplace(std::move(key), statements_.begin());
                steps.emplace_back(Step::prepare, name);
            }
            if (!PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(run.values.size()),
                                     run.values.data(), run.lengths.data(), run.formats.data(), 0))
                lose("cannot queue a statement");
            steps.emplace_back(Step::run, std::string());
        }
        if (statement.inserts && has_lastval_) {
            if (!PQsendQueryParams(conn_, "SELECT pg_temp.typhoon_lastval()", 0, nullptr, nullptr,
                                   nullptr, nullptr, 0))
                lose("cannot queue a statement");
            steps.emplace_back(Step::lastval, std::string());
        }
        if (!PQpipelineSync(conn_)) lose("cannot queue a statement");
        co_await flush();

        Result result;
        ResultPtr error(nullptr, PQclear);
        try {
            for (const auto& [step, name] : steps) {
                while (auto part = co_await next_result()) {
                    const auto status = PQresultStatus(part.get());
                    if (status == PGRES_FATAL_ERROR) {
                        if (!error) error = std::move(part);
                        // A statement that did not prepare is not kept.
                        if (step == Step::prepare) forget(name);
                        continue;
                    }
                    if (status == PGRES_PIPELINE_ABORTED) {
                        if (step == Step::prepare) forget(name);
                        continue;
                    }
                    if (step == Step::run) {
                        collect(part.get(), result);
                    } else if (step == Step::lastval && status == PGRES_TUPLES_OK &&
                               PQntuples(part.get()) == 1 && !PQgetisnull(part.get(), 0, 0)) {
                        result.lastrowid = std::strtoll(PQgetvalue(part.get(), 0, 0), nullptr, 10);
                    }
                }
            }
            co_await read_sync();
        } catch (const OperationalError&) {
            // The connection went after the server said why (pg_terminate_backend, a
            // shutdown): that error is the one to report, SQLSTATE included.
            if (error) raise(error.get(), sql);
            throw;
        }
        broken = false;
        while (statements_.size() > statement_cache_size) {
            to_deallocate_.push_back(statements_.back().name);
            by_key_.erase(statements_.back().key);
            statements_.pop_back();
        }
        if (error) raise(error.get(), sql);
        if (!result.columns) result.columns = std::make_shared<const std::vector<std::string>>();
        co_return result;
    }

    /// The result of one run: its rows replace those of the run before, its count adds up.
    static void collect(const PGresult* part, Result& result) {
        const auto status = PQresultStatus(part);
        if (status == PGRES_TUPLES_OK) {
            result.columns = columns_of(part);
            const int n = PQntuples(part);
            result.rows.clear();
            result.rows.reserve(static_cast<std::size_t>(n));
            for (int row = 0; row < n; ++row)
                result.rows.push_back(row_of(part, row, result.columns));
            // INSERT ... RETURNING id: the id of the last row, as execute() returns.
            if (n > 0 &&
                std::string_view(PQcmdStatus(const_cast<PGresult*>(part))).starts_with("INSERT")) {
                const auto& last = result.rows.back().values();
                if (!last.empty() && last.front().is_int64())
                    result.lastrowid = last.front().get_int64();
            }
        }
        const char* tuples = PQcmdTuples(const_cast<PGresult*>(part));
        if (tuples && *tuples)
            result.rowcount += std::strtoll(tuples, nullptr, 10);
        else if (status == PGRES_TUPLES_OK)
            result.rowcount += PQntuples(part);
    }

    static Columns columns_of(const PGresult* result) {
        std::vector<std::string> names;
        const int n = PQnfields(result);
        names.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i)
            names.emplace_back(PQfname(result, i));
        return std::make_shared<const std::vector<std::string>>(std::move(names));
    }

    static Row row_of(const PGresult* result, int row, const Columns& columns) {
        std::vector<boost::json::value> values;
        const int n = PQnfields(result);
        values.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            if (PQgetisnull(result, row, i)) {
                values.emplace_back(nullptr);
                continue;
            }
            values.push_back(postgresql_value(
                PQftype(result, i),
                std::string_view(PQgetvalue(result, row, i),
                                 static_cast<std::size_t>(PQgetlength(result, row, i)))));
        }
        return Row(columns, std::move(values));
    }

    void forget(const std::string& name) {
        for (auto it = statements_.begin(); it != statements_.end(); ++it) {
            if (it->name == name) {
                by_key_.erase(it->key);
                statements_.erase(it);
                return;
            }
        }
    }

    void forget_all() {
        for (const auto& statement : statements_)
            to_deallocate_.push_back(statement.name);
        statements_.clear();
        by_key_.clear();
    }

    /// One statement without parameters, outside the statement cache.
    awaitable<void> simple(const char* sql) {
        broken = true;
        if (!PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) ||
            !PQpipelineSync(conn_))
            lose("cannot queue a statement");
        co_await flush();
        ResultPtr error(nullptr, PQclear);
        while (auto part = co_await next_result())
            if (PQresultStatus(part.get()) == PGRES_FATAL_ERROR && !error) error = std::move(part);
        co_await read_sync();
        broken = false;
        if (error) raise(error.get(), sql);
    }

    awaitable<void> read_sync() {
        auto sync = co_await next_result();
        if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC)
            lose("the server's answers are out of step");
    }

    /// The stream has read its last result: the connection goes back to pipeline mode.
    awaitable<void> end_stream() {
        pending_.reset();
        stream_active_ = false;
        while (co_await next_result()) {
        }
        if (PQenterPipelineMode(conn_) != 1) lose("cannot enter pipeline mode");
        broken = false;
    }

    /// Sends what libpq has queued; reads meanwhile, so that a server busy writing its answers
    /// to a long pipeline is never left blocked while we block writing to it.
    awaitable<void> flush() {
        while (true) {
            const int pending = PQflush(conn_);
            if (pending == 0) co_return;
            if (pending < 0) lose("cannot send");
            co_await wait(Wait::either, std::nullopt);
            if (!PQconsumeInput(conn_)) lose("cannot read");
        }
    }

    /// The next result, or nullptr at the end of one statement's results.
    awaitable<ResultPtr> next_result() {
        while (PQisBusy(conn_)) {
            co_await wait_for_answer();
            // Lost: what the server said before it went (a FATAL error) is the result below.
            if (!PQconsumeInput(conn_)) break;
        }
        ResultPtr result(PQgetResult(conn_), PQclear);
        if (PQstatus(conn_) == CONNECTION_BAD) {
            broken = lost = true;
            if (result && PQresultStatus(result.get()) == PGRES_FATAL_ERROR) {
                const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
                // The server said why before it went (pg_terminate_backend, a shutdown).
                if (state) raise(result.get(), "");
            }
            lose("the server closed the connection");
        }
        co_return result;
    }

    /** Waits for the server to answer, until the deadline of the call if it has one. Past it,
        the statement is cancelled on the server, which then answers it with an error (57014)
        and goes on with the connection as before; a server that does not answer the cancel
        within a few seconds costs the connection. */
    awaitable<void> wait_for_answer() {
        if (!deadline) {
            co_await wait(Wait::read, std::nullopt);
            co_return;
        }
        if (!timed_out) {
            if (co_await wait(Wait::read, *deadline)) co_return;
            timed_out = true;
            grace_ = std::chrono::steady_clock::now() + std::chrono::seconds(5);
            co_await cancel_on_server();
        }
        if (!co_await wait(Wait::read, grace_))
            lose("no answer from the server after its statement was cancelled");
    }

    /** PQcancel opens a connection of its own and waits for the server to take the request:
        it blocks (libpq 15 has no asynchronous cancel), so it runs on the loop's executor,
        and the call goes on only once the request is in, so that it cannot hit a statement
        this connection runs later. */
    awaitable<void> cancel_on_server() {
        PGcancel* cancel = PQgetCancel(conn_);
        if (!cancel) lose("cannot make a cancel request");
        co_await loop_->run_in_executor([cancel] {
            char error[256];
            PQcancel(cancel, error, sizeof error);  // a failure leaves the statement to finish
            PQfreeCancel(cancel);
            return 0;
        });
    }

    /** Waits until libpq's socket is ready; false when `deadline` passed first. The socket is
        looked up again every time: libpq may have moved to another one (another host of the
        URL, or a retry without SSL). */
    awaitable<bool> wait(Wait what, std::optional<std::chrono::steady_clock::time_point> deadline) {
        const int fd = PQsocket(conn_);
        if (fd < 0) lose("no socket");
        if (!socket_ || fd != fd_) {
            if (socket_) socket_->release();
            socket_.emplace(executor_, fd);
            fd_ = fd;
        }
        using asio::posix::descriptor_base;
        using namespace asio::experimental::awaitable_operators;
        auto one = [&](descriptor_base::wait_type type) {
            return socket_->async_wait(type, asio::use_awaitable);
        };
        if (!deadline) {
            if (what == Wait::either)
                co_await (one(descriptor_base::wait_read) || one(descriptor_base::wait_write));
            else
                co_await one(what == Wait::read ? descriptor_base::wait_read
                                                : descriptor_base::wait_write);
            co_return true;
        }
        timer_.expires_at(*deadline);
        auto first = co_await (
            one(what == Wait::read ? descriptor_base::wait_read : descriptor_base::wait_write) ||
            timer_.async_wait(asio::use_awaitable));
        co_return first.index() == 0;
    }

    [[noreturn]] void lose(const std::string& what) {
        broken = lost = true;
        std::string message = conn_ ? PQerrorMessage(conn_) : "";
        while (!message.empty() && message.back() == '\n')
            message.pop_back();
        throw OperationalError("lost the connection to PostgreSQL (" + what + ")" +
                               (message.empty() ? "" : ": " + message));
    }

    [[noreturn]] void fail_connect(std::string why) {
        lost = broken = true;
        while (!why.empty() && why.back() == '\n')
            why.pop_back();
        const char* host = PQhost(conn_);
        const char* port = PQport(conn_);
        throw OperationalError("cannot connect to PostgreSQL at " +
                               std::string(host && *host ? host : "localhost") + ":" +
                               std::string(port && *port ? port : "5432") + ": " + why);
    }

    Settings settings_;
    ioloop::IOLoop* loop_;
    asio::any_io_executor executor_;
    asio::steady_timer timer_;
    std::chrono::steady_clock::time_point grace_{};  // how long a cancelled statement may take
    PGconn* conn_ = nullptr;
    std::optional<asio::posix::stream_descriptor> socket_;  // libpq's fd, never closed by us
    int fd_ = -1;
    bool has_lastval_ = false;
    // Prepared statements, most recently used first, and the same found by key.
    std::list<Statement> statements_;
    std::unordered_map<std::string, std::list<Statement>::iterator> by_key_;
    std::vector<std::string> to_deallocate_;  // dropped from the cache, still on the server
    std::uint64_t statements_made_ = 0;
    bool stream_active_ = false;
    ResultPtr pending_{nullptr, PQclear};  // the first row of a stream, read by stream_start()
    Columns stream_columns_;
    std::string stream_sql_;
};

}  // namespace

std::unique_ptr<Backend> make_postgresql_backend(const Settings& settings, ioloop::IOLoop& loop) {
    return std::make_unique<PostgreSQLBackend>(settings, loop);
}

}  // namespace typhoon::database::detail
