#include <typhoon/options/log_options.hpp>

#include <typhoon/core/log.hpp>
#include <typhoon/core/log_capture.hpp>

#include <boost/test/unit_test.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace typhoon::options;
namespace tlog = typhoon::log;
namespace fs = std::filesystem;

namespace {
/// A parser with Tornado's logging options; puts the root level and handlers back afterwards.
struct LoggingParser : OptionParser {
    LoggingParser() { define_logging_options(*this); }
    ~LoggingParser() {
        set("logging", std::string("info"));
        set("log_file_prefix", std::string());
        enable_pretty_logging(*this);  // removes the file handler it installed
        tlog::set_root_level(tlog::Level::info);
    }
    void parse(std::vector<std::string> args) { parse_command_line(args); }
};

std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::function<bool(const Error&)> says(std::string expected) {
    return [expected](const Error& e) {
        BOOST_TEST_INFO("message: " << e.what());
        return e.what() == expected;
    };
}
}  // namespace

BOOST_AUTO_TEST_SUITE(log_options_test)

BOOST_AUTO_TEST_CASE(logging_sets_the_root_level) {
    LoggingParser parser;
    parser.parse({"prog", "--logging=debug"});
    BOOST_TEST((tlog::root_level() == tlog::Level::debug));
    parser.parse({"prog", "--logging=WARNING"});
    BOOST_TEST((tlog::root_level() == tlog::Level::warning));
    parser.parse({"prog", "--logging=warn"});  // Python's logging.WARN
    BOOST_TEST((tlog::root_level() == tlog::Level::warning));
}

BOOST_AUTO_TEST_CASE(logging_none_leaves_logging_alone) {
    LoggingParser parser;
    tlog::set_root_level(tlog::Level::error);
    parser.parse({"prog", "--logging=none"});
    BOOST_TEST((tlog::root_level() == tlog::Level::error));
}

BOOST_AUTO_TEST_CASE(an_unknown_level_names_the_option_and_the_value) {
    LoggingParser parser;
    BOOST_CHECK_EXCEPTION(
        parser.parse({"prog", "--logging=loud"}), Error,
        says("Invalid value 'loud' for option 'logging': expected debug, info, warning, error or "
             "none"));
}

BOOST_AUTO_TEST_CASE(a_log_file_prefix_sends_records_to_the_file_only) {
    const fs::path file =
        fs::temp_directory_path() / ("typhoon_log_options_" + std::to_string(::getpid()) + ".log");
    {
        tlog::LogCapture older;  // stands for the default stderr handler
        LoggingParser parser;
        parser.parse({"prog", "--log_file_prefix=" + file.string()});
        tlog::app_log.warning("to the file");
        BOOST_TEST(!older.contains("to the file"));
        BOOST_TEST(read(file).find("] to the file\n") != std::string::npos);

        parser.parse({"prog", "--log_to_stderr"});  // now both, and still one file handler
        tlog::app_log.warning("to both");
        BOOST_TEST(older.records()
                       .empty());  // the new stderr handler wrote it; the capture is older still
        std::string text = read(file);
        BOOST_TEST(text.find("to both") == text.rfind("to both"));
    }
    tlog::app_log.info("after the parser is gone");  // the file handler was removed
    BOOST_TEST(read(file).find("after the parser is gone") == std::string::npos);
    fs::remove(file);
}

BOOST_AUTO_TEST_CASE(time_rotation_writes_to_the_file_too) {
    const fs::path file =
        fs::temp_directory_path() / ("typhoon_log_options_t" + std::to_string(::getpid()) + ".log");
    {
        tlog::LogCapture older;
        LoggingParser parser;
        parser.parse({"prog", "--log_file_prefix=" + file.string(), "--log_rotate_mode=time",
                      "--log_rotate_when=H"});
        tlog::app_log.warning("hourly");
        BOOST_TEST(!older.contains("hourly"));
    }
    BOOST_TEST(read(file).find("] hourly\n") != std::string::npos);
    fs::remove(file);
}

BOOST_AUTO_TEST_CASE(a_bad_rotate_mode_is_refused_with_tornados_message) {
    LoggingParser parser;
    BOOST_CHECK_EXCEPTION(
        parser.parse({"prog", "--log_file_prefix=/tmp/x.log", "--log_rotate_mode=daily"}), Error,
        says("The value of log_rotate_mode option should be \"size\" or \"time\", not \"daily\"."));
}

BOOST_AUTO_TEST_SUITE_END()
