#include <typhoon/session/redis_store.hpp>

#include <typhoon/redis/client.hpp>

#include <algorithm>

namespace typhoon::session {

namespace {

/// Milliseconds from now to `expires`, at least 1: PX and PEXPIRE refuse 0 and less, and a
/// record due now must still be written (it then expires at once, as it should).
std::int64_t ttl_millis(SessionStore::time_point expires) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        expires - std::chrono::system_clock::now());
    return std::max<std::int64_t>(left.count(), 1);
}

[[noreturn]] void fail(const redis::Error& error) {
    throw SessionStoreError(std::string("redis: ") + error.what());
}

}  // namespace

RedisStore::RedisStore(redis::Client& redis, RedisStoreOptions options)
    : redis_(&redis), options_(std::move(options)) {}

awaitable<std::optional<std::string>> RedisStore::load(std::string id) {
    try {
        co_return (co_await redis_->command("GET", options_.key_prefix + id)).as_optional_string();
    } catch (const redis::Error& error) {
        fail(error);
    }
}

awaitable<void> RedisStore::save(std::string id, std::string record, time_point expires) {
    try {
        co_await redis_->command("SET", options_.key_prefix + id, record, "PX",
                                 ttl_millis(expires));
    } catch (const redis::Error& error) {
        fail(error);
    }
}

awaitable<void> RedisStore::touch(std::string id, time_point expires) {
    try {
        co_await redis_->command("PEXPIRE", options_.key_prefix + id, ttl_millis(expires));
    } catch (const redis::Error& error) {
        fail(error);
    }
}

awaitable<void> RedisStore::erase(std::string id) {
    try {
        co_await redis_->command("DEL", options_.key_prefix + id);
    } catch (const redis::Error& error) {
        fail(error);
    }
}

}  // namespace typhoon::session
