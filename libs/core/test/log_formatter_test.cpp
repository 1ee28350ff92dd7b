#include <typhoon/core/log_formatter.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <ctime>

using namespace typhoon::log;

namespace {
Record make_record(Level level, std::string message) {
    std::tm local{};
    local.tm_year = 2026 - 1900;
    local.tm_mon = 10;
    local.tm_mday = 23;
    local.tm_hour = 8;
    local.tm_min = 30;
    local.tm_sec = 5;
    local.tm_isdst = -1;
    return Record{"tornado.general",
                  level,
                  std::move(message),
                  std::chrono::system_clock::from_time_t(std::mktime(&local)),
                  "web",
                  2243,
                  {}};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(log_formatter_test)

BOOST_AUTO_TEST_CASE(formats_like_tornados_log_formatter) {
    const LogFormatter formatter;
    BOOST_TEST(formatter.format(make_record(Level::info, "200 GET / (::1) 0.41ms")) ==
               "[I 261123 08:30:05 web:2243] 200 GET / (::1) 0.41ms");
    BOOST_TEST(formatter.format(make_record(Level::warning, "x")) ==
               "[W 261123 08:30:05 web:2243] x");
}

BOOST_AUTO_TEST_CASE(colours_the_prefix_when_asked) {
    const LogFormatter formatter({.color = true});
    BOOST_TEST(formatter.format(make_record(Level::error, "boom")) ==
               "\033[31m[E 261123 08:30:05 web:2243]\033[0m boom");
}

BOOST_AUTO_TEST_CASE(indents_continuation_lines_and_the_exception) {
    const LogFormatter formatter;
    auto record = make_record(Level::error, "first\nsecond  \n");
    record.exception = "std::runtime_error: bad";
    BOOST_TEST(formatter.format(record) ==
               "[E 261123 08:30:05 web:2243] first\n    second\n    std::runtime_error: bad");
}

BOOST_AUTO_TEST_CASE(date_format_is_configurable) {
    const LogFormatter formatter({.date_format = "%Y-%m-%d"});
    BOOST_TEST(formatter.format(make_record(Level::debug, "d")) == "[D 2026-11-23 web:2243] d");
}

BOOST_AUTO_TEST_CASE(stream_handler_writes_one_line_per_record) {
    std::FILE* file = std::tmpfile();
    BOOST_TEST_REQUIRE(file != nullptr);
    StreamHandler handler(file);
    BOOST_TEST(!handler.handle(make_record(Level::info, "hello")));  // never consumes
    std::rewind(file);
    char buffer[256] = {};
    const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
    std::fclose(file);
    BOOST_TEST(std::string(buffer, n) == "[I 261123 08:30:05 web:2243] hello\n");
}

BOOST_AUTO_TEST_SUITE_END()
