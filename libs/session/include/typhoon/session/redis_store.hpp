#ifndef TYPHOON_SESSION_REDIS_STORE_HPP
#define TYPHOON_SESSION_REDIS_STORE_HPP

#include <typhoon/session/session_store.hpp>

#include <string>

namespace typhoon::redis {
class Client;
}

namespace typhoon::session {

/// Options of RedisStore.
struct RedisStoreOptions {
    /// Prepended to each id to make its key, so that sessions share a database with other keys.
    std::string key_prefix = "session:";
};

/** Sessions as Redis keys (typhoon::session_redis): shared by every process that talks to the
    same Redis, and expired by Redis itself, each key with its session's TTL.

        redis::Client redis("redis://127.0.0.1:6379/0");
        session::RedisStore store(redis);

    A save is `SET key record PX ttl`, a load `GET key`, a touch `PEXPIRE key ttl`, an erase
    `DEL key`; nothing else is kept, so Redis's `maxmemory-policy volatile-ttl` evicts the
    sessions nearest their end first.

    Errors of Redis (connection lost or refused, timeout, an error reply) raise SessionStoreError
    with Redis's message; the client reconnects on the next command (see redis::ClientOptions
    for its backoff). `redis` must outlive the store; use both on the loop that made the Client. */
class RedisStore final : public SessionStore {
public:
    /// Keeps the sessions in `redis`, under the options' key prefix; nothing is sent yet.
    explicit RedisStore(redis::Client& redis, RedisStoreOptions options = {});

    awaitable<std::optional<std::string>> load(std::string id) override;
    awaitable<void> save(std::string id, std::string record, time_point expires) override;
    awaitable<void> touch(std::string id, time_point expires) override;
    awaitable<void> erase(std::string id) override;

private:
    redis::Client* redis_;
    RedisStoreOptions options_;
};

}  // namespace typhoon::session

#endif
