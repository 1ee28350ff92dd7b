#include <typhoon/database/connection.hpp>

#include "listener.hpp"
#include "pool.hpp"

#include <typhoon/database/errors.hpp>

#include <type_traits>

namespace typhoon::database {

namespace {
detail::Pool& checked(const std::shared_ptr<detail::Pool>& pool) {
    if (!pool) throw InterfaceError("this Connection was moved from");
    return *pool;
}

void check_free(detail::Backend& backend) {
    if (backend.streaming)
        throw InterfaceError("the connection is busy with a RowStream: read it to the end first");
}

std::chrono::milliseconds effective(std::optional<std::chrono::milliseconds> limit,
                                    const detail::Pool& pool) {
    return limit ? *limit : pool.settings().options.query_timeout;
}

/** `work` on `backend`, which stops it on the database past `limit` (none when zero); the
    engine's error about the stopped statement becomes one that names the timeout. */
template <class T>
awaitable<T> limited(detail::Backend& backend, std::chrono::milliseconds limit, awaitable<T> work) {
    if (limit.count() <= 0) co_return co_await std::move(work);
    backend.deadline = std::chrono::steady_clock::now() + limit;
    backend.timed_out = false;
    struct Disarm {
        detail::Backend& backend;
        ~Disarm() { backend.deadline.reset(); }
    } disarm{backend};
    const auto message = [&](const std::string& why) {
        return "timeout: the statement ran past its timeout of " + std::to_string(limit.count()) +
               " ms and was stopped" + why;
    };
    if constexpr (std::is_void_v<T>) {
        try {
            co_await std::move(work);
        } catch (const DatabaseError& e) {
            if (!backend.timed_out) throw;
            throw OperationalError(message(std::string(": ") + e.what()), e.sqlstate());
        }
        // MariaDB's SLEEP() stopped by KILL QUERY returns, with a wrong result: still a timeout.
        if (backend.timed_out) throw OperationalError(message(""));
    } else {
        std::optional<T> result;
        try {
            result.emplace(co_await std::move(work));
        } catch (const DatabaseError& e) {
            if (!backend.timed_out) throw;
            throw OperationalError(message(std::string(": ") + e.what()), e.sqlstate());
        }
        if (backend.timed_out) throw OperationalError(message(""));
        co_return std::move(*result);
    }
}
}  // namespace

Connection::Connection(std::string_view url, ConnectionOptions options)
    : pool_(std::make_shared<detail::Pool>(detail::parse_url(url, std::move(options)))) {}

Connection::Connection(ConnectionOptions options)
    : pool_(std::make_shared<detail::Pool>(detail::mysql_settings(std::move(options)))) {}

Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        close();
        if (listener_) listener_->stop();
        pool_ = std::move(other.pool_);
        listener_ = std::move(other.listener_);
    }
    return *this;
}

Connection::~Connection() {
    close();
    if (listener_) listener_->stop();
}

awaitable<Notifications> Connection::listen(std::string channel) {
    auto& pool = checked(pool_);
    if (pool.settings().engine != detail::Engine::postgresql)
        throw InterfaceError("LISTEN/NOTIFY is PostgreSQL's: listen() needs a postgresql:// URL");
    if (!listener_)
        listener_ = std::make_shared<detail::Listener>(pool.settings(), ioloop::IOLoop::current());
    auto listener = listener_;  // this Connection may be moved while the LISTEN is on its way
    co_return Notifications(co_await listener->listen(channel));
}

awaitable<void> Connection::notify(std::string channel, std::string payload) {
    if (checked(pool_).settings().engine != detail::Engine::postgresql)
        throw InterfaceError("LISTEN/NOTIFY is PostgreSQL's: notify() needs a postgresql:// URL");
    co_await query("SELECT pg_notify(?, ?)", std::move(channel), std::move(payload));
}

void Connection::close() noexcept {
    if (pool_) pool_->close();
}

awaitable<void> Connection::reconnect() {
    auto& pool = checked(pool_);
    pool.close();
    auto lease = co_await pool.acquire();  // opens one, which goes back to the pool idle
}

PoolStatus Connection::pool_status() const noexcept {
    return pool_ ? pool_->status() : PoolStatus{};
}

awaitable<detail::Result> Connection::run(std::string sql, std::vector<Params> params,
                                          Limit limit) {
    auto& pool = checked(pool_);
    auto lease = co_await pool.acquire();
    auto& backend = lease->backend();
    co_return co_await limited(backend, effective(limit, pool), backend.execute(sql, params));
}

awaitable<RowStream> Connection::stream(std::string sql, Params params, Limit limit) {
    auto& pool = checked(pool_);
    auto lease = co_await pool.acquire();
    auto* backend = &lease->backend();
    try {
        co_await limited(*backend, effective(limit, pool), backend->stream_start(sql, params));
    } catch (...) {
        backend->stream_abandon();  // a statement started, then timed out, has rows pending
        throw;
    }
    backend->streaming = true;
    co_return RowStream(std::move(lease), backend);
}

awaitable<Transaction> Connection::begin() {
    auto lease = co_await checked(pool_).acquire();
    co_await lease->backend().execute(lease->backend().begin_sql(), {Params{}});
    co_return Transaction(std::move(lease));
}

// Transaction

Transaction::Transaction(std::unique_ptr<detail::Lease> lease) : lease_(std::move(lease)) {}
Transaction::Transaction(Transaction&&) noexcept = default;

Transaction::~Transaction() {
    if (lease_) lease_->release(/*rollback_first=*/true);
}

detail::Backend& Transaction::backend() {
    if (!lease_) throw InterfaceError("the transaction has already been committed or rolled back");
    check_free(lease_->backend());
    return lease_->backend();
}

awaitable<detail::Result> Transaction::run(std::string sql, std::vector<Params> params,
                                           Limit limit) {
    auto& b = backend();
    co_return co_await limited(b, effective(limit, lease_->pool()), b.execute(sql, params));
}

awaitable<RowStream> Transaction::stream(std::string sql, Params params, Limit limit) {
    auto& b = backend();
    try {
        co_await limited(b, effective(limit, lease_->pool()), b.stream_start(sql, params));
    } catch (...) {
        b.stream_abandon();
        throw;
    }
    b.streaming = true;
    co_return RowStream(nullptr, &b);
}

awaitable<void> Transaction::end(const char* sql) {
    auto& b = backend();
    auto lease = std::move(lease_);
    try {
        co_await b.execute(sql, {Params{}});
    } catch (...) {
        // A COMMIT that failed (SQLITE_BUSY, a deferred constraint) can leave the transaction
        // open; the connection must not go back to the pool that way.
        lease->release(/*rollback_first=*/true);
        throw;
    }
}

awaitable<void> Transaction::commit() {
    return end("COMMIT");
}
awaitable<void> Transaction::rollback() {
    return end("ROLLBACK");
}

// RowStream

RowStream::RowStream(std::unique_ptr<detail::Lease> lease, detail::Backend* backend)
    : lease_(std::move(lease)), backend_(backend) {}

RowStream::RowStream(RowStream&& other) noexcept
    : lease_(std::move(other.lease_)),
      backend_(std::exchange(other.backend_, nullptr)),
      done_(std::exchange(other.done_, true)) {}

RowStream& RowStream::operator=(RowStream&& other) noexcept {
    if (this != &other) {
        finish();
        lease_ = std::move(other.lease_);
        backend_ = std::exchange(other.backend_, nullptr);
        done_ = std::exchange(other.done_, true);
    }
    return *this;
}

RowStream::~RowStream() {
    finish();
}

void RowStream::finish() noexcept {
    if (!done_ && backend_) backend_->stream_abandon();
    if (backend_) backend_->streaming = false;
    done_ = true;
    backend_ = nullptr;
    lease_.reset();
}

awaitable<std::optional<Row>> RowStream::next() {
    if (done_ || !backend_) co_return std::nullopt;
    std::optional<Row> row;
    try {
        row = co_await backend_->stream_next();
    } catch (...) {
        done_ = true;  // the backend has ended the statement, or marked the connection broken
        finish();
        throw;
    }
    if (!row) {
        done_ = true;
        finish();
    }
    co_return row;
}

}  // namespace typhoon::database
