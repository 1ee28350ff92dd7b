#ifndef TYPHOON_SESSION_SESSION_OPTIONS_HPP
#define TYPHOON_SESSION_SESSION_OPTIONS_HPP

#include <chrono>
#include <optional>
#include <string>

namespace typhoon::session {

/** How sessions expire and how their cookie is set (SessionMixin::session_options()). The
    defaults are the safe ones; a handler changes only what it needs:

        const session::SessionOptions& session_options() const override {
            static const session::SessionOptions options{.idle_timeout = std::chrono::minutes(30)};
            return options;
        }

    A session ends at whichever comes first: `idle_timeout` after its last use (each request that
    loads it moves that forward), or `lifetime` after it was created. An ended session loads as a
    new, empty one and is deleted from the store; the stores also drop ended entries by
    themselves. */
struct SessionOptions {
    /// Name of the cookie that holds the session id (signed with the application's
    /// cookie_secret).
    std::string cookie_name = "session";
    /// How long an unused session lives: one day by default.
    std::chrono::seconds idle_timeout = std::chrono::hours(24);
    /// How long a session lives however much it is used (Django's two weeks by default); the
    /// cookie expires then too.
    std::chrono::seconds lifetime = std::chrono::days(14);

    /// `Domain` of the cookie; empty: this host only.
    std::string domain{};
    /// `Path` of the cookie.
    std::string path = "/";
    /// `Secure`: std::nullopt sets it when the request came over HTTPS (as the application sees
    /// it: behind a proxy, with the xheaders server option).
    std::optional<bool> secure{};
    /// `HttpOnly`: the id is not for scripts, and a script injected into a page cannot steal it.
    bool httponly = true;
    /// `SameSite`: "Lax" keeps the cookie off cross-site POSTs (a CSRF defence) while links from
    /// other sites still arrive signed in; "Strict" or "None" (which needs `secure`).
    std::string samesite = "Lax";
};

}  // namespace typhoon::session

#endif
