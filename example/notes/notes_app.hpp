// Notes kept in a database through typhoon::database: list, add and delete, on SQLite by
// default, on MariaDB/MySQL with --db=mysql://user:password@host/notes or on PostgreSQL with
// --db=postgresql://user:password@host/notes. Each request queries without blocking its loop;
// the pool is shared by every handler.
#ifndef NOTES_APP_HPP
#define NOTES_APP_HPP

#include <typhoon/database.hpp>
#include <typhoon/web.hpp>

#include <boost/json/value_from.hpp>

#include <string>

namespace notes {
namespace database = typhoon::database;
namespace web = typhoon::web;
using boost::asio::awaitable;

/// Creates the table if it is missing. The id column and the time's type are what the engines
/// spell differently. `url` is a copy: the coroutine reads it after its caller has moved on.
inline awaitable<void> create_schema(database::Connection& db, std::string url) {
    const bool mysql = url.starts_with("mysql:") || url.starts_with("mariadb:");
    const bool postgresql = url.starts_with("postgresql:") || url.starts_with("postgres:");
    const std::string id = mysql        ? "INTEGER PRIMARY KEY AUTO_INCREMENT"
                           : postgresql ? "SERIAL PRIMARY KEY"
                                        : "INTEGER PRIMARY KEY";
    // TIMESTAMP(0): whole seconds, as DATETIME keeps them on the other two.
    const std::string time = postgresql ? "TIMESTAMP(0)" : "DATETIME";
    co_await db.execute("CREATE TABLE IF NOT EXISTS notes (id " + id +
                        ", body VARCHAR(1000) NOT NULL, created " + time +
                        " NOT NULL DEFAULT CURRENT_TIMESTAMP)");
}

/// GET / lists the notes, newest first; POST / adds the note in the form's `body`.
class NotesHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(database::Connection& db) { db_ = &db; }

    awaitable<void> get() override {
        auto rows = co_await db_->query("SELECT id, body, created FROM notes ORDER BY id DESC");
        render("index.html", {{"notes", boost::json::value_from(rows)}});
    }

    awaitable<void> post() override {
        const auto body = get_body_argument("body");  // missing: a 400
        if (body.empty() || body.size() > 1000)
            throw web::HTTPError(400, "a note is 1 to 1000 bytes");
        co_await db_->insert("INSERT INTO notes (body) VALUES (?)", body);
        redirect("/");
    }

private:
    database::Connection* db_ = nullptr;
};

/// POST /delete/<id> removes one note; an unknown id is a 404.
class DeleteHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(database::Connection& db) { db_ = &db; }

    awaitable<void> post() override {
        const auto& id = path_args().at(0);
        if (co_await db_->update("DELETE FROM notes WHERE id = ?", std::stoll(id)) == 0)
            throw web::HTTPError(404, "no note " + id);
        redirect("/");
    }

private:
    database::Connection* db_ = nullptr;
};

/// GET /notes.json: the rows as JSON, as an API would serve them.
class NotesJSONHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(database::Connection& db) { db_ = &db; }

    awaitable<void> get() override {
        auto rows = co_await db_->query("SELECT id, body, created FROM notes ORDER BY id DESC");
        write(boost::json::object{{"notes", boost::json::value_from(rows)}});
    }

private:
    database::Connection* db_ = nullptr;
};

/// `root` holds templates/; `db` must outlive the application.
inline web::Application make_app(database::Connection& db, const std::string& root) {
    return web::Application(
        {
            web::url<NotesHandler>("/", {}, std::ref(db)),
            web::url<DeleteHandler>(R"(/delete/([0-9]{1,18}))", {}, std::ref(db)),
            web::url<NotesJSONHandler>("/notes.json", {}, std::ref(db)),
        },
        {.template_path = root + "/templates"});
}
}  // namespace notes

#endif
