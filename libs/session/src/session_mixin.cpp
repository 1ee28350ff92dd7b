#include <typhoon/session/session_mixin.hpp>

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/error.hpp>
#include <typhoon/web/request_handler.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <system_error>

namespace typhoon::session {

namespace {

using Clock = std::chrono::system_clock;

// 192 bits: well past the 128 that OWASP asks of a session id, in 48 hexadecimal characters
// that need no escaping in a cookie, a Redis key or SQL.
constexpr std::size_t id_bytes = 24;

std::string new_id() {
    unsigned char bytes[id_bytes];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error("OpenSSL RAND_bytes failed");
    return escape::detail::hex_encode(
        std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

/// Whether `id` is one new_id() could have made. The cookie is signed, so this only keeps a
/// value of an older format (or of another application sharing the secret) out of the store.
bool well_formed(std::string_view id) {
    return id.size() == 2 * id_bytes && std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::int64_t to_millis(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

/// The record a store keeps: the data and when the session began, which its absolute lifetime
/// is measured from (the idle expiry is the store's own).
std::string encode(const Session& session) {
    return boost::json::serialize(
        boost::json::object{{"created", to_millis(session.created())}, {"data", session.data()}});
}

struct Decoded {
    boost::json::object data;
    Clock::time_point created;
};

/// The record's contents; std::nullopt for one that is not ours (it is then dropped).
std::optional<Decoded> decode(std::string_view record) {
    std::error_code error;
    auto value = boost::json::parse(record, error);
    if (error || !value.is_object()) return std::nullopt;
    auto& object = value.as_object();
    const auto* created = object.if_contains("created");
    auto* data = object.if_contains("data");
    if (!created || !created->is_int64() || !data || !data->is_object()) return std::nullopt;
    return Decoded{std::move(data->as_object()),
                   Clock::time_point(std::chrono::milliseconds(created->as_int64()))};
}

/// The end of a session used now: its idle timeout from now, but never past its lifetime.
Clock::time_point expiry(const Session& session, const SessionOptions& options,
                         Clock::time_point now) {
    return std::min(now + options.idle_timeout, session.created() + options.lifetime);
}

}  // namespace

SessionMixin::SessionMixin() = default;
SessionMixin::~SessionMixin() = default;

const SessionOptions& SessionMixin::session_options() const {
    static const SessionOptions defaults{};
    return defaults;
}

web::RequestHandler& SessionMixin::handler() {
    auto* handler = dynamic_cast<web::RequestHandler*>(this);
    if (!handler) throw Error("SessionMixin is mixed into a class that is not a RequestHandler");
    return *handler;
}

std::optional<std::string> SessionMixin::cookie_id() {
    const auto& options = session_options();
    // Tornado refuses signed values older than max_age_days; the session's lifetime is the limit
    // that counts here, checked against the record.
    const double lifetime_days =
        std::chrono::duration<double, std::ratio<86400>>(options.lifetime).count();
    return handler().get_signed_cookie(options.cookie_name, {.max_age_days = lifetime_days + 1});
}

awaitable<std::reference_wrapper<Session>> SessionMixin::session() {
    if (session_) co_return *session_;
    const auto& options = session_options();
    auto& store = session_store();
    auto loaded = std::make_unique<Session>();
    const auto id = cookie_id();
    if (id && well_formed(*id)) {
        if (const auto record = co_await store.load(*id)) {
            const auto now = Clock::now();
            auto decoded = decode(*record);
            if (decoded && now < decoded->created + options.lifetime) {
                loaded->id_ = *id;
                loaded->data_ = std::move(decoded->data);
                loaded->created_ = decoded->created;
                co_await store.touch(*id, expiry(*loaded, options, now));
            } else {
                // Ended under a shorter lifetime than it was saved with, or not a record of ours.
                co_await store.erase(*id);
            }
        }
    }
    session_ = std::move(loaded);
    co_return *session_;
}

awaitable<void> SessionMixin::store_under_new_id(Session& session) {
    const auto& options = session_options();
    auto& self = handler();
    const auto now = Clock::now();
    std::string id = new_id();
    session.created_ = now;
    co_await session_store().save(id, encode(session), expiry(session, options, now));
    session.id_ = std::move(id);
    session.modified_ = false;
    self.set_signed_cookie(options.cookie_name, session.id_,
                           {.domain = options.domain,
                            .expires = session.created_ + options.lifetime,
                            .path = options.path,
                            .expires_days = std::nullopt,
                            .httponly = options.httponly,
                            .secure = options.secure.value_or(self.request().protocol == "https"),
                            .samesite = options.samesite});
}

awaitable<void> SessionMixin::save_session() {
    if (!session_ || !session_->modified_) co_return;
    auto& session = *session_;
    if (session.is_new()) {
        if (session.data_.empty()) {
            session.modified_ = false;
            co_return;
        }
        co_await store_under_new_id(session);
        co_return;
    }
    co_await session_store().save(session.id_, encode(session),
                                  expiry(session, session_options(), Clock::now()));
    session.modified_ = false;
}

awaitable<void> SessionMixin::regenerate_session() {
    Session& session = co_await this->session();
    if (session.is_new()) co_return;
    const std::string old_id = session.id_;
    co_await store_under_new_id(session);
    co_await session_store().erase(old_id);
}

awaitable<void> SessionMixin::destroy_session() {
    const auto& options = session_options();
    auto& self = handler();
    std::string id;
    if (session_)
        id = session_->id_;
    else if (const auto cookie = cookie_id())
        id = *cookie;
    if (well_formed(id)) co_await session_store().erase(id);
    if (!id.empty() || self.get_cookie(options.cookie_name))
        self.clear_cookie(options.cookie_name, options.path, options.domain);
    session_ = std::make_unique<Session>();
}

}  // namespace typhoon::session
