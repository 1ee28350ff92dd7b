#include <typhoon/core/log.hpp>

#include <typhoon/core/log_capture.hpp>

#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

using namespace typhoon::log;

namespace {
/// Restores the root level and the test logger's level however a case ends.
struct LevelGuard {
    Level saved_root = root_level();
    Level saved_gen = gen_log.level();
    ~LevelGuard() {
        set_root_level(saved_root);
        gen_log.set_level(saved_gen);
    }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(log_test)

BOOST_AUTO_TEST_CASE(loggers_carry_tornados_names) {
    BOOST_TEST(access_log.name() == "tornado.access");
    BOOST_TEST(app_log.name() == "tornado.application");
    BOOST_TEST(gen_log.name() == "tornado.general");
}

BOOST_AUTO_TEST_CASE(records_below_the_effective_level_are_dropped) {
    LevelGuard guard;
    LogCapture capture;
    set_root_level(Level::info);
    gen_log.debug("hidden");
    gen_log.info("shown");
    gen_log.set_level(Level::error);
    gen_log.warning("hidden too");
    gen_log.error("shown too");
    const auto records = capture.records();
    BOOST_TEST_REQUIRE(records.size() == 2u);
    BOOST_TEST(records[0].message == "shown");
    BOOST_TEST(records[1].message == "shown too");
}

BOOST_AUTO_TEST_CASE(a_logger_without_a_level_follows_the_root_level) {
    LevelGuard guard;
    gen_log.set_level(Level::notset);
    set_root_level(Level::warning);
    BOOST_TEST((gen_log.effective_level() == Level::warning));
    BOOST_TEST(!gen_log.is_enabled_for(Level::info));
    set_root_level(Level::debug);
    BOOST_TEST(gen_log.is_enabled_for(Level::debug));
}

BOOST_AUTO_TEST_CASE(a_record_knows_its_logger_level_and_source_line) {
    LogCapture capture;
    const unsigned line = __LINE__ + 1;
    app_log.warning("careful");
    const auto records = capture.records();
    BOOST_TEST_REQUIRE(records.size() == 1u);
    BOOST_TEST(records[0].logger == "tornado.application");
    BOOST_TEST((records[0].level == Level::warning));
    BOOST_TEST(records[0].module == "log_test");
    BOOST_TEST(records[0].line == line);
}

BOOST_AUTO_TEST_CASE(exception_logs_the_type_and_message) {
    LogCapture capture;
    try {
        throw std::out_of_range("index 7");
    } catch (...) {
        app_log.exception("Exception in callback");
    }
    const auto records = capture.records();
    BOOST_TEST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].level == Level::error));
    BOOST_TEST(records[0].message == "Exception in callback");
    BOOST_TEST(records[0].exception == "std::out_of_range: index 7");
}

BOOST_AUTO_TEST_CASE(describe_exception_names_non_standard_exceptions) {
    struct Custom {};
    BOOST_TEST(describe_exception(std::make_exception_ptr(42)) == "int");
    BOOST_TEST(describe_exception(std::make_exception_ptr(Custom{})).find("Custom") !=
               std::string::npos);
    BOOST_TEST(describe_exception(nullptr) == "");
}

BOOST_AUTO_TEST_CASE(level_names_parse_in_any_case) {
    BOOST_TEST((parse_level("info") == Level::info));
    BOOST_TEST((parse_level("WARNING") == Level::warning));
    BOOST_TEST((parse_level("Debug") == Level::debug));
    BOOST_TEST(!parse_level("verbose"));
    BOOST_TEST(level_name(Level::critical) == "CRITICAL");
}

BOOST_AUTO_TEST_CASE(newer_handlers_may_consume_records) {
    struct Counter final : Handler {
        int seen = 0;
        bool consume;
        explicit Counter(bool c) : consume(c) {}
        bool handle(const Record&) override {
            ++seen;
            return consume;
        }
    };
    LogCapture outer;  // installed first, so asked last
    auto consuming = std::make_shared<Counter>(true);
    add_handler(consuming);
    gen_log.info("one");
    remove_handler(*consuming);
    gen_log.info("two");
    BOOST_TEST(consuming->seen == 1);
    BOOST_TEST_REQUIRE(outer.records().size() == 1u);
    BOOST_TEST(outer.records()[0].message == "two");
}

BOOST_AUTO_TEST_CASE(logging_from_many_threads_loses_nothing) {
    LogCapture capture{{.logger = &gen_log}};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([] {
            for (int i = 0; i < 250; ++i)
                gen_log.info("tick");
        });
    for (auto& thread : threads)
        thread.join();
    BOOST_TEST(capture.records().size() == 1000u);
}

BOOST_AUTO_TEST_CASE(clear_handlers_drops_records_and_reset_handlers_restores_stderr) {
    clear_handlers();
    {
        LogCapture capture;  // a handler installed after the clear still works
        gen_log.info("seen by the capture");
        BOOST_TEST(capture.contains("seen by the capture"));
    }
    std::FILE* file = std::tmpfile();
    BOOST_TEST_REQUIRE(file != nullptr);
    std::fflush(stderr);
    const int saved = ::dup(STDERR_FILENO);  // file descriptor 2 goes to the file for a moment
    ::dup2(::fileno(file), STDERR_FILENO);
    reset_handlers();
    gen_log.warning("back on stderr");
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    std::rewind(file);
    char buffer[256] = {};
    const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
    std::fclose(file);
    BOOST_TEST(std::string_view(buffer, n).find("back on stderr") != std::string_view::npos);
}

BOOST_AUTO_TEST_SUITE_END()
