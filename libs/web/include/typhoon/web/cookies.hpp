#ifndef TYPHOON_WEB_COOKIES_HPP
#define TYPHOON_WEB_COOKIES_HPP

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace typhoon::web {

/** The attributes of an outgoing cookie (the keyword arguments of Tornado's set_cookie). Empty
    strings and false flags are left out of the Set-Cookie header.

        set_cookie("theme", "dark", {.expires_days = 365, .httponly = true, .samesite = "Lax"}); */
struct CookieOptions {
    /// `Domain`: the cookie also goes to this domain's subdomains; empty: this host only.
    std::string domain{};
    /// An absolute expiry; it wins over expires_days.
    std::optional<std::chrono::system_clock::time_point> expires{};
    std::string path = "/";  ///< `Path`: the cookie is sent for URLs under it
    /// Expire this many days from now (fractions allowed).
    std::optional<double> expires_days{};
    /// `Max-Age`, in seconds.
    std::optional<std::int64_t> max_age{};
    bool httponly = false;  ///< `HttpOnly`: hidden from JavaScript (document.cookie)
    bool secure = false;    ///< `Secure`: sent over HTTPS only
    /// `SameSite`: "Strict", "Lax" or "None".
    std::string samesite{};
};

/// The attributes of a signed cookie (set_signed_cookie): those of CookieOptions, with Tornado's
/// 30 days of life by default (std::nullopt: a session cookie), and the signed value's format.
struct SignedCookieOptions {
    ///@{
    /// As the CookieOptions member of the same name.
    std::string domain{};
    std::optional<std::chrono::system_clock::time_point> expires{};
    std::string path = "/";
    std::optional<double> expires_days = 30;
    std::optional<std::int64_t> max_age{};
    bool httponly = false;
    bool secure = false;
    std::string samesite{};
    ///@}
    /// 1 or 2 (the default).
    std::optional<int> version{};
};

/// How get_signed_cookie() reads and checks a signed value.
struct SignedCookieReadOptions {
    /// Decode this value instead of the request's cookie (for values not stored in cookies).
    std::optional<std::string> value{};
    /// Refuse values signed longer ago than this.
    double max_age_days = 31;
    /// Refuse values of an older format (both 1 and 2 are accepted by default).
    std::optional<int> min_version{};
};

}  // namespace typhoon::web

#endif
