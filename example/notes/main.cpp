// tools/run notes → http://localhost:8888/, notes in ./notes.db (SQLite);
// tools/run notes --db=mysql://user:password@127.0.0.1/notes keeps them in MariaDB/MySQL,
// tools/run notes --db=postgresql://user:password@127.0.0.1/notes in PostgreSQL.
#include "notes_app.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/options.hpp>

int main(int argc, char** argv) {
    namespace options = typhoon::options;
    const auto port = options::define("port", 8888, {.help = "run on the given port"});
    const auto db_url = options::define("db", std::string("sqlite:///notes.db"),
                                        {.help = "database URL: sqlite:///file.db, "
                                                 "mysql://user:password@host:port/database or "
                                                 "postgresql://user:password@host:port/database"});
    options::parse_command_line_or_exit(argc, argv);

    auto& loop = typhoon::ioloop::IOLoop::current();
    notes::database::Connection db(*db_url);
    try {
        loop.run_sync([&]() { return notes::create_schema(db, *db_url); });
    } catch (const notes::database::DatabaseError& e) {
        typhoon::log::gen_log.error(std::string("cannot use the database: ") + e.what());
        return 1;
    }
    auto application = notes::make_app(db, NOTES_EXAMPLE_ROOT);
    application.listen(static_cast<std::uint16_t>(*port));
    typhoon::log::gen_log.info("serving http://localhost:" + std::to_string(*port) + "/ with " +
                               *db_url);
    loop.start();
}
