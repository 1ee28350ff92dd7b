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

TimedQueries QueryMethods::with_timeout(std::chrono::milliseconds limit) {
    return TimedQueries(*this, limit);
}

awaitable<detail::Result> TimedQueries::run(std::string sql, std::vector<Params> params,
                                            Limit limit) {
    return target_->run(std::move(sql), std::move(params), limit);
}

awaitable<RowStream> TimedQueries::stream(std::string sql, Params params, Limit limit) {
    return target_->stream(std::move(sql), std::move(params), limit);
}

awaitable<std::vector<Row>> QueryMethods::query(std::string sql, Params params) {
    auto result = co_await run(std::move(sql), one_run(std::move(params)), limit_);
    co_return std::move(result.rows);
}

awaitable<std::optional<Row>> QueryMethods::get(std::string sql, Params params) {
    auto result = co_await run(sql, one_run(std::move(params)), limit_);
    if (result.rows.size() > 1)
        throw InterfaceError(detail::with_sql("Multiple rows returned for get() query", sql));
    if (result.rows.empty()) co_return std::nullopt;
    co_return std::move(result.rows.front());
}

awaitable<RowStream> QueryMethods::iter(std::string sql, Params params) {
    return stream(std::move(sql), std::move(params), limit_);
}

awaitable<std::int64_t> QueryMethods::execute(std::string sql, Params params) {
    auto result = co_await run(std::move(sql), one_run(std::move(params)), limit_);
    co_return result.lastrowid;
}

awaitable<std::int64_t> QueryMethods::execute_rowcount(std::string sql, Params params) {
    auto result = co_await run(std::move(sql), one_run(std::move(params)), limit_);
    co_return result.rowcount;
}

awaitable<std::int64_t> QueryMethods::executemany(std::string sql, std::vector<Params> rows) {
    if (rows.empty()) co_return 0;
    auto result = co_await run(std::move(sql), std::move(rows), limit_);
    co_return result.lastrowid;
}

awaitable<std::int64_t> QueryMethods::executemany_rowcount(std::string sql,
                                                           std::vector<Params> rows) {
    if (rows.empty()) co_return 0;
    auto result = co_await run(std::move(sql), std::move(rows), limit_);
    co_return result.rowcount;
}

}  // namespace typhoon::database
