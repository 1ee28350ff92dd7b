// What typhoon::database reads of PostgreSQL's text, on arbitrary bytes: a statement's SQL, whose
// `?` placeholders are renumbered `$n` outside literals, quoted names, dollar-quoted bodies and
// comments; and a column's text output, turned into JSON by its type (the first byte picks one
// of the types the backend reads, arrays included). Neither may crash or throw.

#include "check.hpp"

#include "postgresql_sql.hpp"
#include "postgresql_values.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace {
// bool, bytea, int8, int2, int4, oid, json, float4, float8, timestamp, timestamptz, numeric,
// jsonb, text, and the arrays of most of them.
constexpr Oid types[] = {16,   17,   20,   21,   23,   26,   114,  700,  701,  1114,
                         1184, 1700, 3802, 25,   1000, 1001, 1005, 1007, 1016, 1021,
                         1022, 1231, 199,  3807, 1115, 1185, 1009, 2951};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

    const auto statement = typhoon::database::detail::postgresql_statement(text);
    fuzz_support::check(statement.placeholders >= 0, "a negative number of placeholders");
    // Renumbered (the SQL wrote no `$n` of its own): each `$n` stands for a `?` it replaced.
    if (statement.sql != text) {
        const auto marks = static_cast<int>(std::count(text.begin(), text.end(), '?'));
        fuzz_support::check(statement.placeholders <= marks,
                            "more placeholders than question marks");
        fuzz_support::check(
            statement.placeholders > 0 && statement.sql.find("$1") != std::string::npos,
            "the SQL changed, but no placeholder was renumbered");
    }

    const Oid type = types[data[0] % std::size(types)];
    static_cast<void>(typhoon::database::detail::postgresql_value(type, text));
    return 0;
}
