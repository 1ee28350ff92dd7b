#ifndef TYPHOON_DATABASE_SRC_POOL_HPP
#define TYPHOON_DATABASE_SRC_POOL_HPP

// The bounded pool of a Connection, and the lease that hands out one of its connections.

#include "backend.hpp"

#include <typhoon/ioloop/semaphore.hpp>

#include <memory>
#include <vector>

namespace typhoon::database::detail {

class Pool;

/// One connection taken from the pool; gives it back (or closes it if broken) when destroyed.
class Lease {
public:
    Lease(std::shared_ptr<Pool> pool, std::unique_ptr<Backend> backend) noexcept
        : pool_(std::move(pool)), backend_(std::move(backend)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Backend& backend() noexcept { return *backend_; }
    Pool& pool() noexcept { return *pool_; }
    /// Gives the connection back now, rolling back first if a transaction was left open.
    void release(bool rollback_first = false) noexcept;

private:
    std::shared_ptr<Pool> pool_;
    std::unique_ptr<Backend> backend_;
};

class Pool : public std::enable_shared_from_this<Pool> {
public:
    explicit Pool(Settings settings);
    ~Pool();

    /** A connection: an idle one (reopened first if idle too long), else a new one while fewer
        than max_connections are open, else the first to come back.
        @throws OperationalError when none comes within pool_timeout, or one cannot be opened. */
    awaitable<std::unique_ptr<Lease>> acquire();
    /// Takes a connection back: idle if healthy and not from before close(), else closed.
    void give_back(std::unique_ptr<Backend> backend) noexcept;
    /// Rolls back on the loop, then gives the connection back.
    void give_back_after_rollback(std::unique_ptr<Backend> backend) noexcept;
    void close() noexcept;
    PoolStatus status() const noexcept { return {open_, static_cast<int>(idle_.size())}; }
    const Settings& settings() const noexcept { return settings_; }

private:
    awaitable<std::unique_ptr<Backend>> open();

    Settings settings_;
    ioloop::IOLoop* loop_;
    locks::Semaphore slots_;
    std::vector<std::unique_ptr<Backend>> idle_;  // most recently used last: reused first
    int open_ = 0;
    std::uint64_t generation_ = 0;  // close() moves it on; older connections close on return
};

}  // namespace typhoon::database::detail

#endif
