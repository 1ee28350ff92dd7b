#include "notes_app.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>

namespace {
struct NotesFixture : typhoon::testing::AsyncHTTPTestCase {
    std::filesystem::path file = std::filesystem::temp_directory_path() /
                                 ("typhoon-notes-" + std::to_string(::getpid()) + ".db");
    std::string url = "sqlite:///" + file.string();
    std::optional<notes::database::Connection> db;

    typhoon::web::Application get_app() override {
        db.emplace(url);
        run_until([this] { return notes::create_schema(*db, url); });
        return notes::make_app(*db, NOTES_EXAMPLE_ROOT);
    }
    ~NotesFixture() override {
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(file.string() + suffix, ignored);
    }
    typhoon::httpclient::HTTPResponse post(const std::string& path, const std::string& body) {
        return fetch(path, {.method = "POST", .body = body, .follow_redirects = false});
    }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(notes_test, NotesFixture)

BOOST_AUTO_TEST_CASE(an_empty_list_says_so) {
    const auto response = fetch("/");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body.find("No notes yet.") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_added_note_is_listed_escaped_and_newest_first) {
    BOOST_TEST(post("/", "body=first").code == 302);
    BOOST_TEST(post("/", "body=%3Cb%3Ebold%3C%2Fb%3E+%F0%9F%8C%80").code == 302);
    const auto body = fetch("/").body;
    const auto bold = body.find("&lt;b&gt;bold&lt;/b&gt; \xf0\x9f\x8c\x80");
    const auto first = body.find(">first<");
    BOOST_TEST(bold != std::string::npos);
    BOOST_TEST(first != std::string::npos);
    BOOST_TEST(bold < first);
    BOOST_TEST(body.find("<b>bold") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_deleted_note_is_gone_and_an_unknown_one_is_a_404) {
    post("/", "body=doomed");
    auto listed = typhoon::escape::json_decode(fetch("/notes.json").body);
    const auto id = listed.at("notes").at(0).at("id").as_int64();
    BOOST_TEST(post("/delete/" + std::to_string(id), "").code == 302);
    BOOST_TEST(fetch("/").body.find("doomed") == std::string::npos);
    typhoon::testing::ExpectLog expected{typhoon::log::gen_log, "no note"};
    BOOST_TEST(post("/delete/" + std::to_string(id), "").code == 404);
}

BOOST_AUTO_TEST_CASE(notes_json_lists_rows_as_objects) {
    post("/", "body=hello");
    auto json = typhoon::escape::json_decode(fetch("/notes.json").body);
    const auto& note = json.at("notes").at(0).as_object();
    BOOST_TEST(note.at("body").as_string() == "hello");
    BOOST_TEST(note.at("created").as_string().size() == 19u);  // 2024-05-01T12:30:00
    BOOST_TEST(note.at("created").as_string()[10] == 'T');
}

BOOST_AUTO_TEST_CASE(an_empty_note_is_a_400) {
    typhoon::testing::ExpectLog expected{typhoon::log::gen_log, "1 to 1000 bytes"};
    BOOST_TEST(post("/", "body=").code == 400);
}

BOOST_AUTO_TEST_SUITE_END()
