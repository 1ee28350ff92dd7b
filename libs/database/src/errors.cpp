// Out-of-line pieces shared by the backends: the "(SQL: ...)" suffix of statement errors.

#include "backend.hpp"

namespace typhoon::database::detail {

std::string with_sql(std::string message, const std::string& sql) {
    // A statement can be long (executemany of a big INSERT): the start identifies it.
    constexpr std::size_t limit = 500;
    message += " (SQL: ";
    message.append(sql, 0, limit);
    if (sql.size() > limit) message += "...";
    message += ')';
    return message;
}

}  // namespace typhoon::database::detail
