#include "listener.hpp"

#include <typhoon/database/errors.hpp>
#include <typhoon/database/notifications.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <exception>
#include <variant>

namespace typhoon::database {

namespace detail {

namespace {
namespace asio = boost::asio;

/// The next notification, or why there is none: a loss must not look like "still waiting" to
/// the || in serve(), which waits for the first operation that succeeds.
awaitable<std::variant<Notification, std::exception_ptr>> receive(Backend& backend) {
    try {
        co_return co_await backend.next_notification();
    } catch (...) {
        co_return std::current_exception();
    }
}
}  // namespace

Subscription::~Subscription() {
    if (auto owner = listener.lock()) owner->dropped(channel);
}

Listener::Listener(Settings settings, ioloop::IOLoop& loop)
    : settings_(std::move(settings)), loop_(&loop), wake_(loop.get_executor()) {}

awaitable<std::shared_ptr<Subscription>> Listener::listen(const std::string& channel) {
    if (stopped_) throw OperationalError("the Connection has been destroyed: it cannot listen()");
    auto subscription = std::make_shared<Subscription>(channel, weak_from_this());
    auto& readers = channels_[channel];
    readers.push_back(subscription);
    if (readers.size() == 1) {
        // A new channel, or one an UNLISTEN may be on its way for: wait for this LISTEN.
        listening_.erase(channel);
        pending_.emplace_back(channel, true);
    }
    if (!running_) {
        running_ = true;
        loop_->spawn_callback([self = shared_from_this()] { return self->run(); });
    }
    wake();
    const auto failures = failures_;
    const gen::Deadline deadline(settings_.options.connect_timeout);
    while (!listening_.contains(channel)) {
        if (stopped_) throw OperationalError("the Connection was destroyed before LISTEN");
        if (failures_ != failures)
            throw OperationalError("cannot LISTEN on '" + channel + "': " + failure_);
        if (!co_await changed_.wait(deadline))
            throw OperationalError("cannot LISTEN on '" + channel + "': no answer within " +
                                   std::to_string(settings_.options.connect_timeout.count()) +
                                   " ms");
    }
    co_return subscription;
}

void Listener::dropped(const std::string& channel) noexcept {
    auto found = channels_.find(channel);
    if (found == channels_.end()) return;
    std::erase_if(found->second, [](const auto& reader) { return reader.expired(); });
    if (!found->second.empty()) return;
    channels_.erase(found);
    try {
        if (!stopped_) pending_.emplace_back(channel, false);
    } catch (...) {
        // Out of memory: the channel stays listened to until the connection is reopened.
    }
    wake();
}

void Listener::stop() noexcept {
    stopped_ = true;
    for (auto& [channel, readers] : channels_)
        for (auto& reader : readers)
            if (auto subscription = reader.lock()) subscription->queue.put_nowait(std::nullopt);
    channels_.clear();
    pending_.clear();
    if (backend_) backend_->close();  // cancels what run() waits for on it
    wake();
    changed_.notify_all();
}

void Listener::wake() noexcept {
    wake_.cancel();
}

awaitable<void> Listener::run() {
    auto self = shared_from_this();  // alive while the coroutine runs
    auto backoff = std::chrono::milliseconds(50);
    while (!stopped_ && !channels_.empty()) {
        try {
            co_await serve();
            backoff = std::chrono::milliseconds(50);
            continue;
        } catch (const std::exception& e) {
            if (stopped_) break;
            failure_ = e.what();
        }
        if (backend_) backend_->close();
        backend_.reset();
        listening_.clear();
        ++failures_;
        changed_.notify_all();
        // The server is gone or refuses: try again soon, then less and less often.
        wake_.expires_after(backoff);
        co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
        backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
    if (backend_) backend_->close();
    backend_.reset();
    listening_.clear();
    running_ = false;
}

awaitable<void> Listener::serve() {
    if (!backend_) {
        auto backend = make_postgresql_backend(settings_, *loop_);
        co_await backend->connect();
        backend_ = std::move(backend);
        // A new session listens to nothing: every channel read is LISTENed again.
        pending_.clear();
        for (const auto& [channel, readers] : channels_)
            pending_.emplace_back(channel, true);
        failure_.clear();
    }
    using namespace asio::experimental::awaitable_operators;
    while (!stopped_) {
        while (!pending_.empty()) {
            const auto [channel, on] = pending_.front();
            co_await backend_->listen(channel, on);
            pending_.pop_front();
            if (on)
                listening_.insert(channel);
            else
                listening_.erase(channel);
        }
        changed_.notify_all();
        if (channels_.empty()) co_return;
        wake_.expires_at(asio::steady_timer::time_point::max());
        auto first =
            co_await (receive(*backend_) || wake_.async_wait(asio::as_tuple(asio::use_awaitable)));
        // The operators flatten the alternatives: a notification, a loss, or woken up.
        if (first.index() == 2) continue;  // something to send, or stop
        if (first.index() == 1) std::rethrow_exception(std::get<1>(first));
        auto& notification = std::get<0>(first);
        if (auto found = channels_.find(notification.channel); found != channels_.end())
            for (auto& reader : found->second)
                if (auto subscription = reader.lock()) subscription->queue.put_nowait(notification);
    }
}

}  // namespace detail

Notifications::Notifications(std::shared_ptr<detail::Subscription> subscription)
    : subscription_(std::move(subscription)) {}
Notifications::Notifications(Notifications&&) noexcept = default;
Notifications& Notifications::operator=(Notifications&&) noexcept = default;
Notifications::~Notifications() = default;

const std::string& Notifications::channel() const noexcept {
    return subscription_->channel;
}

awaitable<Notification> Notifications::next() {
    if (!subscription_) throw InterfaceError("these Notifications were moved from");
    auto item = co_await subscription_->queue.get();
    if (!item) {
        subscription_->queue.put_nowait(std::nullopt);  // and for every call after this one
        throw OperationalError("the Connection of these notifications has been destroyed");
    }
    co_return std::move(*item);
}

}  // namespace typhoon::database
