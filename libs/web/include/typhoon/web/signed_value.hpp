#ifndef TYPHOON_WEB_SIGNED_VALUE_HPP
#define TYPHOON_WEB_SIGNED_VALUE_HPP

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace typhoon::web {

/// Seconds since the epoch, as Python's time.time(); the clock signed values are checked against.
using SignedValueClock = std::function<double()>;

/// Options of create_signed_value().
struct SignOptions {
    /// 1 (HMAC-SHA1, no key version) or 2 (HMAC-SHA256, the default).
    std::optional<int> version{};
    /// The key version written into a version 2 value (0 when unset); required with a map of
    /// secrets, where it picks the secret.
    std::optional<int> key_version{};
    /// The time stamped into the value; the system clock when unset.
    SignedValueClock clock{};
};

/// Options of decode_signed_value().
struct DecodeOptions {
    /// Values signed longer ago than this are refused.
    double max_age_days = 31;
    /// Refuse values of an older format (1 by default: both formats are accepted).
    std::optional<int> min_version{};
    /// The current time; the system clock when unset.
    SignedValueClock clock{};
};

/** Signs and timestamps `value` under `name` so that it cannot be forged
    (tornado.web.create_signed_value): the same bytes as Tornado for the same secret, name, value
    and time, so either side reads what the other signed.
    @throws std::invalid_argument for an unsupported version. */
std::string create_signed_value(std::string_view secret, std::string_view name,
                                std::string_view value, SignOptions options = {});
/** The same with several secrets by key version (Tornado's cookie_secret dict): `key_version`
    is required and picks the secret; the version must be 2.
    @throws std::invalid_argument without a key version, for an unknown one or for version 1. */
std::string create_signed_value(const std::map<int, std::string>& secrets, std::string_view name,
                                std::string_view value, SignOptions options = {});

/** The value `signed_value` carries, when its signature is right, its name is `name` and it is
    younger than `options.max_age_days`; std::nullopt otherwise, with a warning on gen_log saying
    why (nothing is logged for an empty value). Never throws for bad input.
    @throws std::invalid_argument for a min_version above 2. */
std::optional<std::string> decode_signed_value(std::string_view secret, std::string_view name,
                                               std::string_view signed_value,
                                               DecodeOptions options = {});
/// The same, checking a version 2 value with the secret of its key version (a version 1 value,
/// which has none, is refused).
std::optional<std::string> decode_signed_value(const std::map<int, std::string>& secrets,
                                               std::string_view name, std::string_view signed_value,
                                               DecodeOptions options = {});

/// The key version of a version 2 signed value; std::nullopt for version 1 or a malformed value.
std::optional<int> get_signature_key_version(std::string_view signed_value);

}  // namespace typhoon::web

#endif
