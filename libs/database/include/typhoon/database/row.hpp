#ifndef TYPHOON_DATABASE_ROW_HPP
#define TYPHOON_DATABASE_ROW_HPP

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace typhoon::database {

/** One result row, read by column name as torndb's Row (`row["title"]`) and convertible to the
    JSON object that `write()` and templates take. SQL types map to JSON values: integers to
    int64 (uint64 above its range), floating point to double, text to strings, NULL to null,
    DATE / DATETIME / TIMESTAMP to ISO 8601 strings ("2024-05-01", "2024-05-01T12:30:00"),
    DECIMAL to its exact digits as a string, BLOB to a string holding the bytes unchanged. */
class Row {
public:
    /// The column names of a result, shared by all its rows.
    using Columns = std::shared_ptr<const std::vector<std::string>>;

    /// The rows of one result share `columns`; `values` has one value per column.
    Row(Columns columns, std::vector<boost::json::value> values);

    /** The value of column `name` (the first one, if a join repeats the name).
        @throws InterfaceError "no column named '<name>'" when the row has no such column. */
    const boost::json::value& operator[](std::string_view name) const;
    /// The value of column `name`, or nullptr when the row has no such column.
    const boost::json::value* find(std::string_view name) const noexcept;
    /// The value at position `index`, counted from 0. @throws InterfaceError past the end.
    const boost::json::value& at(std::size_t index) const;

    /// The number of columns.
    std::size_t size() const noexcept { return values_.size(); }
    /// The column names, in the order of the result (a join may repeat one).
    const std::vector<std::string>& columns() const noexcept { return *columns_; }
    /// The values, one per column, in the same order.
    const std::vector<boost::json::value>& values() const noexcept { return values_; }

    /// {"column": value, ...} in column order, for `write()` and template arguments.
    boost::json::object to_json() const;

    friend bool operator==(const Row& a, const Row& b) {
        return a.columns() == b.columns() && a.values_ == b.values_;
    }

private:
    Columns columns_;
    std::vector<boost::json::value> values_;
};

/// Lets boost::json::value_from() convert a Row, and so a std::vector<Row>, into JSON.
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Row& row);

}  // namespace typhoon::database

#endif
