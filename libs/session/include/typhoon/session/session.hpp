#ifndef TYPHOON_SESSION_SESSION_HPP
#define TYPHOON_SESSION_SESSION_HPP

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

/// Server-side sessions for request handlers (Tornado has none; its users keep state in signed
/// cookies): the Session, SessionMixin, and the stores it is kept in.
namespace typhoon::session {

class SessionMixin;

/** What the server remembers of one browser between its requests: JSON values by string key,
    kept in a SessionStore under a random id that the browser holds in a signed cookie. A handler
    gets it from SessionMixin::session(), once per request:

        session::Session& session = co_await this->session();
        const auto visits = session.get("visits", 0).to_number<std::int64_t>() + 1;
        session.set("visits", visits);
        co_await save_session();        // stores it, and sends the cookie to a new browser

    Changes stay in this object until SessionMixin::save_session() writes them; a session nobody
    changed is never written, and a new one that was only read makes no cookie and no entry in
    the store. Requests of one browser that change the session at the same time each write the
    whole of it: the last to save wins. */
class Session final {
public:
    /// The value under `key`, or std::nullopt when there is none.
    std::optional<boost::json::value> get(std::string_view key) const;
    /// The value under `key`, or `default_value` when there is none.
    boost::json::value get(std::string_view key, boost::json::value default_value) const;
    /// Whether there is a value under `key`.
    bool contains(std::string_view key) const noexcept;
    /// Puts `value` under `key`, replacing what was there.
    void set(std::string_view key, boost::json::value value);
    /// Removes the value under `key`; whether there was one.
    bool erase(std::string_view key);
    /// Removes every value; the session itself (its id and its cookie) stays.
    void clear();
    /// Every value, by key.
    const boost::json::object& data() const noexcept { return data_; }

    /// The id the store keys this session by; empty while the session is new.
    const std::string& id() const noexcept { return id_; }
    /// Whether the session was never saved: the browser brought no valid session cookie.
    bool is_new() const noexcept { return id_.empty(); }
    /// Whether the data changed since it was loaded or saved.
    bool modified() const noexcept { return modified_; }
    /// When the session was first saved (or last regenerated): its absolute lifetime runs from
    /// here.
    std::chrono::system_clock::time_point created() const noexcept { return created_; }

private:
    friend class SessionMixin;

    std::string id_;
    boost::json::object data_;
    std::chrono::system_clock::time_point created_{};
    bool modified_ = false;
};

}  // namespace typhoon::session

#endif
