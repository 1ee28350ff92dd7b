#include "pool.hpp"

#include <typhoon/database/errors.hpp>
#include <typhoon/ioloop/timeout.hpp>

#include <algorithm>

namespace typhoon::database::detail {

Lease::~Lease() {
    release();
}

void Lease::release(bool rollback_first) noexcept {
    if (!backend_) return;
    if (rollback_first && !backend_->broken)
        pool_->give_back_after_rollback(std::move(backend_));
    else
        pool_->give_back(std::move(backend_));
}

Pool::Pool(Settings settings)
    : settings_(std::move(settings)),
      loop_(&ioloop::IOLoop::current()),
      // Each connection to ":memory:" would be a database of its own: the pool keeps one.
      slots_(settings_.in_memory() ? 1 : settings_.options.max_connections) {}

Pool::~Pool() {
    close();
}

awaitable<std::unique_ptr<Backend>> Pool::open() {
    auto backend = settings_.engine == Engine::sqlite  ? make_sqlite_backend(settings_, *loop_)
                   : settings_.engine == Engine::mysql ? make_mariadb_backend(settings_, *loop_)
                                                       : make_postgresql_backend(settings_, *loop_);
    ++open_;
    try {
        co_await backend->connect();
    } catch (...) {
        --open_;
        throw;
    }
    backend->generation = generation_;
    co_return backend;
}

awaitable<std::unique_ptr<Lease>> Pool::acquire() {
    auto self = shared_from_this();
    try {
        co_await slots_.acquire(gen::Deadline(settings_.options.pool_timeout));
    } catch (const gen::TimeoutError&) {
        throw OperationalError(
            "no database connection came free within " +
            std::to_string(settings_.options.pool_timeout.count()) + " ms (max_connections = " +
            std::to_string(settings_.in_memory() ? 1 : settings_.options.max_connections) + ")");
    }
    // The slot is ours from here: it goes to the Lease, or back to the semaphore on failure.
    std::unique_ptr<Backend> backend;
    try {
        while (!backend && !idle_.empty()) {
            auto candidate = std::move(idle_.back());
            idle_.pop_back();
            // torndb's _ensure_connected: the server may have dropped a connection idle past
            // its wait_timeout, so an old one is replaced before a query can fail on it. An
            // in-memory database would lose its contents, and has no server to time out.
            if (!settings_.in_memory() &&
                loop_->time() - candidate->last_used > settings_.options.max_idle_time) {
                candidate->close();
                --open_;
                continue;
            }
            backend = std::move(candidate);
        }
        if (!backend) backend = co_await open();
    } catch (...) {
        slots_.release();
        throw;
    }
    co_return std::make_unique<Lease>(std::move(self), std::move(backend));
}

void Pool::give_back(std::unique_ptr<Backend> backend) noexcept {
    backend->streaming = false;
    // A server that went away (restarted, failed over) took every connection with it: close
    // the idle ones too, as SQLAlchemy invalidates its pool on a disconnect, rather than let
    // each of them fail one query.
    if (backend->lost) close();
    if (backend->broken || backend->generation != generation_) {
        backend->close();
        --open_;
    } else {
        backend->last_used = loop_->time();
        idle_.push_back(std::move(backend));
    }
    slots_.release();
}

namespace {
awaitable<void> rollback_then_give_back(std::shared_ptr<Pool> pool,
                                        std::unique_ptr<Backend> backend) {
    try {
        co_await backend->execute("ROLLBACK", {Params{}});
    } catch (...) {
        backend->broken = true;  // the transaction may still be open: never reuse it
    }
    pool->give_back(std::move(backend));
}
}  // namespace

void Pool::give_back_after_rollback(std::unique_ptr<Backend> backend) noexcept {
    try {
        loop_->add_callback([self = shared_from_this(), backend = std::move(backend)]() mutable {
            return rollback_then_give_back(std::move(self), std::move(backend));
        });
    } catch (...) {
        // Out of memory: the backend went with the callback, closed by its destructor.
    }
}

void Pool::close() noexcept {
    ++generation_;
    for (auto& backend : idle_) {
        backend->close();
        --open_;
    }
    idle_.clear();
}

}  // namespace typhoon::database::detail
