#ifndef TYPHOON_SESSION_MEMORY_STORE_HPP
#define TYPHOON_SESSION_MEMORY_STORE_HPP

#include <typhoon/session/session_store.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace typhoon::session {

/// Options of MemoryStore.
struct MemoryStoreOptions {
    /// How often a call of the store also drops every expired record (expired records are never
    /// returned in between; this bounds the memory they hold).
    std::chrono::seconds sweep_interval = std::chrono::minutes(1);
};

/** Sessions in this process's memory: for development, tests and single-process programs. They
    are lost when the process ends and are not shared with other processes, so a deployment of
    several processes behind a proxy needs RedisStore or DatabaseStore instead.

        session::MemoryStore store;
        auto app = web::Application({web::url<CartHandler>("/cart", {}, std::ref(store))},
                                    {.cookie_secret = secret});

    Expiry is checked on load, and every `sweep_interval` one call sweeps out what has expired.
    It never fails, and takes no lock: use it on one loop only. */
class MemoryStore final : public SessionStore {
public:
    /// An empty store; nothing is allocated until the first save.
    explicit MemoryStore(MemoryStoreOptions options = {});

    awaitable<std::optional<std::string>> load(std::string id) override;
    awaitable<void> save(std::string id, std::string record, time_point expires) override;
    awaitable<void> touch(std::string id, time_point expires) override;
    awaitable<void> erase(std::string id) override;

    /// Records held now, expired ones not yet swept included (for monitoring and tests).
    std::size_t size() const noexcept { return records_.size(); }

private:
    struct Entry {
        std::string record;
        time_point expires;
    };
    void sweep_if_due(time_point now);

    MemoryStoreOptions options_;
    std::unordered_map<std::string, Entry> records_;
    time_point next_sweep_{};
};

}  // namespace typhoon::session

#endif
