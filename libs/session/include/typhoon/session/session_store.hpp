#ifndef TYPHOON_SESSION_SESSION_STORE_HPP
#define TYPHOON_SESSION_SESSION_STORE_HPP

#include <typhoon/web/http_error.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace typhoon::session {

using boost::asio::awaitable;

/** A store failed (Redis or the database went away, a query failed): the request that needed the
    session answers 503 Service Unavailable, as an HTTPError does, with the cause in the log.
    Nothing is kept broken: the next request asks the store again. */
class SessionStoreError : public web::HTTPError {
public:
    /// A 503 whose log message is "session store: <what>".
    explicit SessionStoreError(const std::string& what);
};

/** Where sessions live between requests, keyed by id: MemoryStore (this process),
    DatabaseStore (an SQL table, typhoon::session_database) or RedisStore (typhoon::session_redis).
    A store keeps records, opaque strings that SessionMixin encodes, each with the moment it
    expires; what has expired is never returned, and each store removes it by itself (a Redis
    TTL, a periodic DELETE, a sweep of memory).

    To keep sessions elsewhere, derive from it:

        class FileStore final : public session::SessionStore {
        public:
            awaitable<std::optional<std::string>> load(std::string id) override;
            awaitable<void> save(std::string id, std::string record, time_point expires) override;
            awaitable<void> touch(std::string id, time_point expires) override;
            awaitable<void> erase(std::string id) override;
        };

    A store is used from the loop of the application that uses it; the ids it is given are ones
    SessionMixin made (hexadecimal, 48 characters). Every member may throw SessionStoreError. */
class SessionStore {
public:
    /// When a record ends: wall-clock time, as a store that expires entries itself counts it.
    using time_point = std::chrono::system_clock::time_point;

    virtual ~SessionStore();

    /** The record saved under `id`, or std::nullopt when there is none or it has expired (an
        expired one is deleted). @throws SessionStoreError */
    virtual awaitable<std::optional<std::string>> load(std::string id) = 0;
    /** Saves `record` under `id`, replacing what was there, until `expires`.
        @throws SessionStoreError */
    virtual awaitable<void> save(std::string id, std::string record, time_point expires) = 0;
    /** Moves the expiry of the record under `id` to `expires`, leaving the record alone (a
        request that only reads its session must not write back what another one changed
        meanwhile); nothing when there is no such record. @throws SessionStoreError */
    virtual awaitable<void> touch(std::string id, time_point expires) = 0;
    /** Deletes the record under `id`, if there is one. @throws SessionStoreError */
    virtual awaitable<void> erase(std::string id) = 0;

protected:
    ///@{
    /// Only a base; a store is not copied through it.
    SessionStore() = default;
    SessionStore(const SessionStore&) = default;
    SessionStore& operator=(const SessionStore&) = default;
    ///@}
};

}  // namespace typhoon::session

#endif
