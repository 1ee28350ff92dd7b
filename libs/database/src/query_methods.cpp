#include <typhoon/database/query_methods.hpp>

#include "backend.hpp"

#include <typhoon/database/errors.hpp>

namespace typhoon::database {

namespace {
std::vector<Params> one_run(Params params) {
    std::vector<Params> runs;
    runs.push_back(std::move(params));
    return runs;
}
}  // namespace

awaitable<std::vector<Row>> QueryMethods::query(std::string sql, Params params) {
    auto result = co_await run(std::move(sql), one_run(std::move(params)));
    co_return std::move(result.rows);
}

awaitable<std::optional<Row>> QueryMethods::get(std::string sql, Params params) {
    auto result = co_await run(sql, one_run(std::move(params)));
    if (result.rows.size() > 1)
        throw InterfaceError(detail::with_sql("Multiple rows returned for get() query", sql));
    if (result.rows.empty()) co_return std::nullopt;
    co_return std::move(result.rows.front());
}

awaitable<RowStream> QueryMethods::iter(std::string sql, Params params) {
    return stream(std::move(sql), std::move(params));
}

awaitable<std::int64_t> QueryMethods::execute(std::string sql, Params params) {
    auto result = co_await run(std::move(sql), one_run(std::move(params)));
    co_return result.lastrowid;
}

awaitable<std::int64_t> QueryMethods::execute_rowcount(std::string sql, Params params) {
    auto result = co_await run(std::move(sql), one_run(std::move(params)));
    co_return result.rowcount;
}

awaitable<std::int64_t> QueryMethods::executemany(std::string sql, std::vector<Params> rows) {
    if (rows.empty()) co_return 0;
    auto result = co_await run(std::move(sql), std::move(rows));
    co_return result.lastrowid;
}

awaitable<std::int64_t> QueryMethods::executemany_rowcount(std::string sql,
                                                           std::vector<Params> rows) {
    if (rows.empty()) co_return 0;
    auto result = co_await run(std::move(sql), std::move(rows));
    co_return result.rowcount;
}

}  // namespace typhoon::database
