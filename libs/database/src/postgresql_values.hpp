#ifndef TYPHOON_DATABASE_SRC_POSTGRESQL_VALUES_HPP
#define TYPHOON_DATABASE_SRC_POSTGRESQL_VALUES_HPP

// PostgreSQL's values both ways: a column's text output as JSON, and a statement's parameters
// as libpq takes them. Private to the library.

#include <typhoon/database/param.hpp>

#include <boost/json/value.hpp>

#include <postgres_ext.h>

#include <string>
#include <string_view>
#include <vector>

namespace typhoon::database::detail {

/** The JSON value of a column in PostgreSQL's text output, of type `type`: integers, floating
    point, booleans, bytea (its bytes), JSON and JSONB (parsed), timestamps (ISO 8601), arrays of
    these; numeric keeps its exact digits, and every other type is its text. */
boost::json::value postgresql_value(Oid type, std::string_view text);

/// The parameters of one run, as libpq takes them, and the types a statement is prepared for.
struct PostgreSQLParams {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    std::vector<Oid> types;
    std::vector<std::string> texts;  // numbers written out; reserved first, so never moved
    std::string signature;           // the types, one character each, for the statement cache

    /** Binds `params` for libpq. @throws DataError for text holding a NUL, which libpq's
        text parameters cannot carry. */
    PostgreSQLParams(const Params& params, const std::string& sql);
};

}  // namespace typhoon::database::detail

#endif
