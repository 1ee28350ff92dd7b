#ifndef TYPHOON_DATABASE_SRC_POSTGRESQL_SQL_HPP
#define TYPHOON_DATABASE_SRC_POSTGRESQL_SQL_HPP

// What the PostgreSQL backend needs to know of a statement's text before libpq sends it: the
// torndb-style `?` placeholders renumbered as PostgreSQL's `$1, $2, ...`, found outside string
// literals, quoted identifiers, dollar-quoted bodies and comments. Private to the library.

#include <string>
#include <string_view>

namespace typhoon::database::detail {

struct PostgreSQLStatement {
    std::string sql;       // `?` replaced by `$n`; unchanged when it uses `$n` itself
    int placeholders = 0;  // how many parameters it takes
    bool inserts = false;  // an INSERT without RETURNING: its new id comes from lastval()
};

/** Scans `sql` once. A statement that writes `$1` itself keeps every `?` as it is, so jsonb's
    `?`, `?|` and `?&` operators stay usable there. */
PostgreSQLStatement postgresql_statement(std::string_view sql);

}  // namespace typhoon::database::detail

#endif
