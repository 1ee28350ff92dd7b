// The notes application on PostgreSQL (--db=postgresql://...), against a private cluster.
#include "notes_app.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/testing/postgresql_server.hpp>

#include <boost/test/unit_test.hpp>

namespace {
struct NotesOnPostgreSQL : typhoon::testing::AsyncHTTPTestCase {
    std::string url = typhoon::testing::PostgreSQLServer::instance().create_database();
    std::optional<notes::database::Connection> db;

    typhoon::web::Application get_app() override {
        db.emplace(url);
        run_until([this] { return notes::create_schema(*db, url); });
        return notes::make_app(*db, NOTES_EXAMPLE_ROOT);
    }
    typhoon::httpclient::HTTPResponse post(const std::string& path, const std::string& body) {
        return fetch(path, {.method = "POST", .body = body, .follow_redirects = false});
    }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(notes_postgresql_test, NotesOnPostgreSQL,
                         *boost::unit_test::precondition(typhoon::testing::postgresql_is_running))

BOOST_AUTO_TEST_CASE(notes_are_added_listed_as_json_and_deleted) {
    BOOST_TEST(fetch("/").body.find("No notes yet.") != std::string::npos);
    BOOST_TEST(post("/", "body=first").code == 302);
    BOOST_TEST(post("/", "body=%3Cb%3Esecond%3C%2Fb%3E").code == 302);
    auto json = typhoon::escape::json_decode(fetch("/notes.json").body);
    const auto& newest = json.at("notes").at(0).as_object();
    BOOST_TEST(newest.at("body").as_string() == "<b>second</b>");
    BOOST_TEST(newest.at("created").as_string().size() == 19u);  // 2024-05-01T12:30:00
    BOOST_TEST(newest.at("created").as_string()[10] == 'T');
    BOOST_TEST(fetch("/").body.find("&lt;b&gt;second&lt;/b&gt;") != std::string::npos);
    const auto id = newest.at("id").as_int64();
    BOOST_TEST(post("/delete/" + std::to_string(id), "").code == 302);
    BOOST_TEST(fetch("/").body.find("second") == std::string::npos);
    typhoon::testing::ExpectLog expected{typhoon::log::gen_log, "no note"};
    BOOST_TEST(post("/delete/" + std::to_string(id), "").code == 404);
}

BOOST_AUTO_TEST_SUITE_END()
