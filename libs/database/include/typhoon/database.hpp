#ifndef TYPHOON_DATABASE_HPP
#define TYPHOON_DATABASE_HPP

// typhoon::database: tornado.database (torndb), asynchronous, on SQLite, MariaDB/MySQL and
// PostgreSQL.
#include <typhoon/database/connection.hpp>
#include <typhoon/database/errors.hpp>
#include <typhoon/database/notifications.hpp>
#include <typhoon/database/param.hpp>
#include <typhoon/database/query_methods.hpp>
#include <typhoon/database/row.hpp>
#include <typhoon/database/row_stream.hpp>
#include <typhoon/database/transaction.hpp>

#endif
