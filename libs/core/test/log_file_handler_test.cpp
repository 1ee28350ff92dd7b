#include <typhoon/core/log_file_handler.hpp>

#include <typhoon/core/error.hpp>
#include <typhoon/core/log_capture.hpp>

#include <boost/test/unit_test.hpp>

#include <unistd.h>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace typhoon::log;

namespace {

/// A fresh directory for one test, removed afterwards.
struct TempDir {
    fs::path path = fs::temp_directory_path() /
                    ("typhoon_log_file_" + std::to_string(::getpid()) + "_" +
                     std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Record record(std::string message) {
    return Record{"tornado.general",
                  Level::info,
                  std::move(message),
                  std::chrono::system_clock::now(),
                  "app",
                  7,
                  {}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(log_file_handler_test)

BOOST_AUTO_TEST_CASE(writes_records_in_tornados_format_without_colour) {
    TempDir dir;
    RotatingFileHandler handler(dir.path / "app.log");
    handler.handle(record("hello"));
    const std::string text = read(dir.path / "app.log");
    BOOST_TEST(text.starts_with("[I "));
    BOOST_TEST(text.ends_with(" app:7] hello\n"));
    BOOST_TEST(text.find('\033') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(size_rotation_renames_to_numbered_backups_and_drops_the_oldest) {
    TempDir dir;
    const fs::path log = dir.path / "app.log";
    // Each line is 36 bytes: with a limit of 60, every record but the first starts a new file.
    RotatingFileHandler handler(log, {.max_bytes = 60, .backup_count = 2});
    for (int i = 1; i <= 4; ++i)
        handler.handle(record("message " + std::to_string(i)));
    BOOST_TEST(read(log).find("message 4") != std::string::npos);
    BOOST_TEST(read(dir.path / "app.log.1").find("message 3") != std::string::npos);
    BOOST_TEST(read(dir.path / "app.log.2").find("message 2") != std::string::npos);
    BOOST_TEST(!fs::exists(dir.path / "app.log.3"));  // message 1 went with the oldest backup
}

BOOST_AUTO_TEST_CASE(without_backups_the_file_is_never_renamed) {
    TempDir dir;
    const fs::path log = dir.path / "app.log";
    RotatingFileHandler handler(log,
                                {.max_bytes = 10, .backup_count = 0});  // Python keeps appending
    handler.handle(record("one"));
    handler.handle(record("two"));
    BOOST_TEST(read(log).find("one") != std::string::npos);
    BOOST_TEST(read(log).find("two") != std::string::npos);
    BOOST_TEST(!fs::exists(dir.path / "app.log.1"));
}

BOOST_AUTO_TEST_CASE(an_exclusive_handler_keeps_records_from_older_handlers) {
    TempDir dir;
    LogCapture older;
    auto file = std::make_shared<RotatingFileHandler>(
        dir.path / "app.log", RotatingFileHandlerOptions{.exclusive = true});
    add_handler(file);
    gen_log.warning("only in the file");
    remove_handler(*file);
    BOOST_TEST(!older.contains("only in the file"));
    BOOST_TEST(read(dir.path / "app.log").find("only in the file") != std::string::npos);

    auto shared = std::make_shared<RotatingFileHandler>(dir.path / "b.log");
    add_handler(shared);
    gen_log.warning("in both");
    remove_handler(*shared);
    BOOST_TEST(older.contains("in both"));
}

BOOST_AUTO_TEST_CASE(timed_rotation_names_the_old_file_after_its_interval) {
    TempDir dir;
    const fs::path log = dir.path / "app.log";
    TimedRotatingFileHandler handler(log, {.when = "s", .interval = 1, .backup_count = 1});
    handler.handle(record("first"));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    handler.handle(record("second"));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    handler.handle(record("third"));
    std::vector<std::string> rotated;
    for (const auto& entry : fs::directory_iterator(dir.path))
        if (entry.path().filename() != "app.log")
            rotated.push_back(entry.path().filename().string());
    // app.log.YYYY-MM-DD_HH-MM-SS, and only the newest one: backup_count is 1.
    BOOST_TEST_REQUIRE(rotated.size() == 1u);
    BOOST_TEST(rotated[0].size() == std::string("app.log.2026-11-23_08-30-00").size());
    BOOST_TEST(read(dir.path / rotated[0]).find("second") != std::string::npos);
    BOOST_TEST(read(log).find("third") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_rollover_intervals_are_refused) {
    TempDir dir;
    BOOST_CHECK_THROW(TimedRotatingFileHandler(dir.path / "a.log", {.when = "fortnight"}),
                      typhoon::Error);
    BOOST_CHECK_THROW(TimedRotatingFileHandler(dir.path / "a.log", {.when = "W7"}), typhoon::Error);
    BOOST_CHECK_NO_THROW(TimedRotatingFileHandler(dir.path / "a.log", {.when = "midnight"}));
    BOOST_CHECK_NO_THROW(TimedRotatingFileHandler(dir.path / "a.log", {.when = "W6"}));
}

BOOST_AUTO_TEST_CASE(a_file_that_cannot_be_opened_is_an_error) {
    BOOST_CHECK_THROW(RotatingFileHandler("/nonexistent-dir/app.log"), typhoon::Error);
}

BOOST_AUTO_TEST_SUITE_END()
