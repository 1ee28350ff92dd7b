#include <typhoon/database/row.hpp>

#include <typhoon/database/errors.hpp>

namespace typhoon::database {

Row::Row(Columns columns, std::vector<boost::json::value> values)
    : columns_(std::move(columns)), values_(std::move(values)) {
    if (!columns_ || columns_->size() != values_.size())
        throw InterfaceError("a Row needs exactly one value per column");
}

const boost::json::value* Row::find(std::string_view name) const noexcept {
    // Rows are narrow: a linear scan beats hashing, and keeps the column order for to_json().
    const auto& names = *columns_;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return &values_[i];
    return nullptr;
}

const boost::json::value& Row::operator[](std::string_view name) const {
    if (const auto* value = find(name)) return *value;
    throw InterfaceError("no column named '" + std::string(name) + "' in this row");
}

const boost::json::value& Row::at(std::size_t index) const {
    if (index >= values_.size())
        throw InterfaceError("column " + std::to_string(index) + " is past the end of a row of " +
                             std::to_string(values_.size()));
    return values_[index];
}

boost::json::object Row::to_json() const {
    boost::json::object object;
    object.reserve(values_.size());
    const auto& names = *columns_;
    for (std::size_t i = 0; i < names.size(); ++i)
        object.emplace(names[i], values_[i]);  // a repeated name keeps its first value, as find()
    return object;
}

void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Row& row) {
    out = row.to_json();
}

}  // namespace typhoon::database
