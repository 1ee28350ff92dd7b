#include "message_buffer.hpp"

#include <algorithm>

namespace chat {

boost::json::array MessageBuffer::get_messages_since(std::optional<std::string_view> cursor) const {
    auto first = cache_.begin();
    if (cursor) {
        // Newest first: a browser that keeps up finds its cursor at the end.
        const auto seen = std::find_if(cache_.rbegin(), cache_.rend(), [&](const auto& message) {
            return message.at("id").as_string() == *cursor;
        });
        if (seen != cache_.rend()) first = seen.base();
    }
    boost::json::array messages;
    messages.reserve(static_cast<std::size_t>(cache_.end() - first));
    for (auto it = first; it != cache_.end(); ++it)
        messages.emplace_back(*it);
    return messages;
}

void MessageBuffer::add_message(boost::json::object message) {
    cache_.push_back(std::move(message));
    while (cache_.size() > cache_size_)
        cache_.pop_front();
    cond_.notify_all();
}

boost::asio::awaitable<void> MessageBuffer::wait() {
    struct Count {  // also undone when the wait is cancelled
        std::size_t& n;
        explicit Count(std::size_t& count) : n(count) { ++n; }
        ~Count() { --n; }
    } count(waiters_);
    co_await cond_.wait();
}

}  // namespace chat
