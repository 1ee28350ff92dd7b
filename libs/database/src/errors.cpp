// Out-of-line pieces shared by the backends: the "(SQL: ...)" suffix of statement errors, and
// what an engine without LISTEN/NOTIFY answers.

#include "backend.hpp"

#include <typhoon/database/errors.hpp>

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

awaitable<void> Backend::listen(const std::string&, bool) {
    throw InterfaceError("LISTEN/NOTIFY is PostgreSQL's: this database cannot listen()");
    co_return;
}

awaitable<Notification> Backend::next_notification() {
    throw InterfaceError("LISTEN/NOTIFY is PostgreSQL's: this database has no notifications");
    co_return Notification{};
}

}  // namespace typhoon::database::detail
