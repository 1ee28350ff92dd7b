#include <typhoon/options/log_options.hpp>

#include "python_format.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/core/log_file_handler.hpp>
#include <typhoon/core/log_formatter.hpp>

#include <cctype>
#include <mutex>

namespace typhoon::options {

namespace {

// The handlers the last enable_pretty_logging() installed, replaced by the next call.
std::mutex installed_mutex;
std::vector<std::shared_ptr<log::Handler>> installed;

std::optional<log::Level> level_named(std::string_view name) {
    std::string upper;
    for (char c : name)
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "WARN") return log::Level::warning;  // Python's logging has both spellings
    if (upper == "FATAL") return log::Level::critical;
    return log::parse_level(upper);
}

}  // namespace

void define_logging_options(OptionParser& parser) {
    // Tornado files these under tornado/log.py; ours are typhoon's, whatever path built the
    // library.
    const std::string group = "typhoon/log";
    parser.define(
        "logging", "info",
        {.help =
             "Set the Python log level. If 'none', tornado won't touch the logging configuration.",
         .metavar = "debug|info|warning|error|none",
         .group = group});
    parser.define<bool>(
        "log_to_stderr",
        {.help = "Send log output to stderr (colorized if possible). By default use stderr if "
                 "--log_file_prefix is not set and no other logging is configured.",
         .group = group});
    parser.define<std::string>(
        "log_file_prefix",
        {.help = "Path prefix for log files. Note that if you are running multiple tornado "
                 "processes, log_file_prefix must be different for each of them (e.g. include "
                 "the port number)",
         .metavar = "PATH",
         .group = group});
    parser.define<int>("log_file_max_size", 100 * 1000 * 1000,
                       {.help = "max size of log files before rollover", .group = group});
    parser.define<int>("log_file_num_backups", 10,
                       {.help = "number of log files to keep", .group = group});
    parser.define("log_rotate_when", "midnight",
                  {.help = "specify the type of TimedRotatingFileHandler interval other "
                           "options:('S', 'M', 'H', 'D', "
                           "'W0'-'W6')",
                   .group = group});
    parser.define<int>("log_rotate_interval", 1,
                       {.help = "The interval value of timed rotating", .group = group});
    parser.define("log_rotate_mode", "size",
                  {.help = "The mode of rotating files(time or size)", .group = group});
    parser.add_parse_callback([&parser] { enable_pretty_logging(parser); });
}

void enable_pretty_logging(const OptionParser& parser) {
    const auto logging = parser.get<std::optional<std::string>>("logging");
    if (!logging || level_named(*logging) == std::nullopt) {
        std::string lower;
        for (char c : logging.value_or("none"))
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "none") return;
        throw Error("Invalid value " + escape::detail::python_repr(*logging) +
                    " for option 'logging': expected debug, info, warning, error or none");
    }
    log::set_root_level(*level_named(*logging));

    std::vector<std::shared_ptr<log::Handler>> handlers;
    const auto prefix = parser.get<std::optional<std::string>>("log_file_prefix");
    const auto to_stderr = parser.get<std::optional<bool>>("log_to_stderr");
    if (prefix && !prefix->empty()) {
        const std::string mode = parser.get<std::string>("log_rotate_mode");
        // With a file, records stop there (exclusive) unless --log_to_stderr asks for both.
        if (mode == "size") {
            handlers.push_back(std::make_shared<log::RotatingFileHandler>(
                *prefix, log::RotatingFileHandlerOptions{
                             .max_bytes = static_cast<std::uintmax_t>(
                                 std::max(parser.get<int>("log_file_max_size"), 0)),
                             .backup_count = parser.get<int>("log_file_num_backups"),
                             .exclusive = true}));
        } else if (mode == "time") {
            handlers.push_back(std::make_shared<log::TimedRotatingFileHandler>(
                *prefix, log::TimedRotatingFileHandlerOptions{
                             .when = parser.get<std::string>("log_rotate_when"),
                             .interval = parser.get<int>("log_rotate_interval"),
                             .backup_count = parser.get<int>("log_file_num_backups"),
                             .utc = false,
                             .exclusive = true}));
        } else {
            throw Error(
                "The value of log_rotate_mode option should be \"size\" or \"time\", not \"" +
                mode + "\".");
        }
        if (to_stderr.value_or(false)) handlers.push_back(log::StreamHandler::for_stderr());
    }
    // Without a file, typhoon::log's default handler already writes to stderr: nothing to add.

    std::lock_guard lock(installed_mutex);
    for (const auto& handler : installed)
        log::remove_handler(*handler);
    installed = handlers;
    for (const auto& handler : handlers)
        log::add_handler(handler);  // the stderr one ends up in front
}

}  // namespace typhoon::options
