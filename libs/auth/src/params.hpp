// URL building shared by the mixins: Python's urlencode, dict assignment on ordered parameters,
// urljoin, and OAuth 1.0a nonces and timestamps.
#ifndef TYPHOON_AUTH_SRC_PARAMS_HPP
#define TYPHOON_AUTH_SRC_PARAMS_HPP

#include <typhoon/auth/auth_mixin.hpp>

#include <string>
#include <string_view>

namespace typhoon::auth::detail {

/// `urllib.parse.urlencode(params)`: quote_plus of each name and value, joined by '&'.
std::string urlencode(const Params& params);
/// `params[name] = value` on a Python dict: replaces the value in place, or appends the pair.
void set_param(Params& params, std::string_view name, std::string value);
/// Appends each of `more` with set_param (Python's dict.update).
void update_params(Params& params, const Params& more);
/** `urllib.parse.urljoin(base, url)` for the URLs handlers pass: absolute, scheme-relative,
    absolute-path, relative-path (with `.` and `..`), query-only and empty. */
std::string urljoin(std::string_view base, std::string_view url);
/// `url` without its query and fragment, for error messages: queries may carry secrets.
std::string without_query(std::string_view url);
/// 32 random hex digits (Tornado's hex of a uuid4).
std::string oauth_nonce();
/// Seconds since the epoch, as text.
std::string oauth_timestamp();

}  // namespace typhoon::auth::detail

#endif
