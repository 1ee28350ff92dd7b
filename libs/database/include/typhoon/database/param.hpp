#ifndef TYPHOON_DATABASE_PARAM_HPP
#define TYPHOON_DATABASE_PARAM_HPP

#include <boost/json/fwd.hpp>

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace typhoon::database {

/// Bytes to bind as a BLOB rather than as text: `db.execute("INSERT ... VALUES (?)",
/// Bytes{png})`. Rows give BLOB columns back as strings holding the same bytes.
struct Bytes {
    std::string data = {};  ///< the bytes, any values, NULs included
};

/** One value bound to a `?` of a statement. The driver receives it as a value, never as SQL:
    a string that holds `'; DROP TABLE notes; --` is stored as those characters. Made implicitly
    from nullptr / std::nullopt (NULL), bool (1 or 0), any integer, float or double, text, Bytes,
    std::optional of those, and a scalar boost::json::value. */
class Param {
public:
    /// What the driver binds: NULL, a signed or unsigned 64-bit integer, a double, text or a BLOB.
    using Value =
        std::variant<std::nullptr_t, std::int64_t, std::uint64_t, double, std::string, Bytes>;

    ///@{
    /// Implicit from each type a column takes, so that parameters are written as plain values:
    /// nullptr and std::nullopt bind NULL, bool 1 or 0, integers keep their signedness, text is
    /// copied, and an empty std::optional is NULL.
    Param(std::nullptr_t = nullptr) noexcept {}  // NOLINT: implicit on purpose
    Param(std::nullopt_t) noexcept {}            // NOLINT
    Param(bool value) : value_(std::int64_t{value}), boolean_(true) {}  // NOLINT
    template <std::signed_integral T>
    Param(T value) : value_(static_cast<std::int64_t>(value)) {}  // NOLINT
    template <std::unsigned_integral T>
        requires(!std::same_as<T, bool>)
    Param(T value) : value_(static_cast<std::uint64_t>(value)) {}  // NOLINT
    Param(double value) : value_(value) {}                         // NOLINT
    Param(std::string value) : value_(std::move(value)) {}         // NOLINT
    Param(std::string_view value) : value_(std::string(value)) {}  // NOLINT
    Param(const char* value) : value_(std::string(value)) {}       // NOLINT
    Param(Bytes value) : value_(std::move(value)) {}               // NOLINT
    /// @throws InterfaceError for an array or an object, which no SQL column holds.
    Param(const boost::json::value& value);  // NOLINT
    template <class T>
    Param(const std::optional<T>& value) {  // NOLINT
        if (value) *this = Param(*value);
    }
    ///@}

    /// The value as it will be bound.
    const Value& value() const noexcept { return value_; }
    /// Whether it binds SQL NULL.
    bool is_null() const noexcept { return std::holds_alternative<std::nullptr_t>(value_); }
    /** Whether it was made from a bool. PostgreSQL, which has a real BOOLEAN, receives it as an
        untyped '1' or '0', which a BOOLEAN column and an INTEGER column both accept. */
    bool is_bool() const noexcept { return boolean_; }

private:
    Value value_;
    bool boolean_ = false;
};

/// The parameters of one statement, for when their number is only known at run time.
using Params = std::vector<Param>;

}  // namespace typhoon::database

#endif
