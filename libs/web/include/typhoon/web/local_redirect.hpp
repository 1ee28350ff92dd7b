#ifndef TYPHOON_WEB_LOCAL_REDIRECT_HPP
#define TYPHOON_WEB_LOCAL_REDIRECT_HPP

#include <algorithm>
#include <string>
#include <string_view>

namespace typhoon::web {

/** Whether `target` (a `next` argument, a return address) is a path on this site, safe to give
    redirect() without making the application an open redirector. It must start with one `/`
    and hold no backslash and no control character:
    - `//host/x` is a network-path reference (RFC 3986 §4.2): the browser goes to `host`;
    - browsers read `\` as `/` in http URLs (WHATWG URL "special" schemes), so `/\host` and
      `\\host` are `//host` too;
    - browsers drop tabs and line breaks from URLs, so `/<TAB>/host` is `//host` again;
    - anything else (`https://host`, `javascript:...`, `host/x`) is absolute or relative to the
      current page, not a path of the site.
    Tornado has no such check: its login flow and demos redirect to `next` as given. */
inline bool is_local_path(std::string_view target) noexcept {
    if (target.empty() || target.front() != '/') return false;
    if (target.size() > 1 && target[1] == '/') return false;
    return std::none_of(target.begin(), target.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return c == '\\' || byte < 0x20 || byte == 0x7f;
    });
}

/// `target` when is_local_path() accepts it, else `fallback` ("/" unless told).
inline std::string local_redirect_target(std::string_view target, std::string_view fallback = "/") {
    return std::string(is_local_path(target) ? target : fallback);
}

}  // namespace typhoon::web

#endif
