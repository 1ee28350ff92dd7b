#include <typhoon/session/memory_store.hpp>

#include <iterator>

namespace typhoon::session {

MemoryStore::MemoryStore(MemoryStoreOptions options) : options_(options) {}

void MemoryStore::sweep_if_due(time_point now) {
    if (now < next_sweep_) return;
    next_sweep_ = now + options_.sweep_interval;
    std::erase_if(records_, [now](const auto& entry) { return entry.second.expires <= now; });
}

awaitable<std::optional<std::string>> MemoryStore::load(std::string id) {
    const auto now = std::chrono::system_clock::now();
    sweep_if_due(now);
    const auto found = records_.find(id);
    if (found == records_.end()) co_return std::nullopt;
    if (found->second.expires <= now) {
        records_.erase(found);
        co_return std::nullopt;
    }
    co_return found->second.record;
}

awaitable<void> MemoryStore::save(std::string id, std::string record, time_point expires) {
    sweep_if_due(std::chrono::system_clock::now());
    records_.insert_or_assign(std::move(id), Entry{std::move(record), expires});
    co_return;
}

awaitable<void> MemoryStore::touch(std::string id, time_point expires) {
    if (const auto found = records_.find(id); found != records_.end())
        found->second.expires = expires;
    co_return;
}

awaitable<void> MemoryStore::erase(std::string id) {
    records_.erase(id);
    co_return;
}

}  // namespace typhoon::session
