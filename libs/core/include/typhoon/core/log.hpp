#ifndef TYPHOON_CORE_LOG_HPP
#define TYPHOON_CORE_LOG_HPP

#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>

/** Logging as tornado.log: three named loggers (`access_log`, `app_log`, `gen_log`), levels, and
    handlers that receive records. By default records go to stderr in Tornado's one-line format:
    `[I 261123 08:30:00 web:2243] 200 GET / (127.0.0.1) 0.41ms`.

    Thread-safe: every loop thread may log. Handlers are called one record at a time. */
namespace typhoon::log {

/// Python's logging levels, with the same numbers so configuration translates directly.
enum class Level : int {
    notset = 0,
    debug = 10,
    info = 20,
    warning = 30,
    error = 40,
    critical = 50
};

/// "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL" ("NOTSET" for notset).
std::string_view level_name(Level level) noexcept;

/// Reads a level name in any case ("info", "WARNING"); std::nullopt for anything else.
std::optional<Level> parse_level(std::string_view name) noexcept;

/// One logged event, as handlers receive it.
struct Record {
    std::string logger;         ///< name of the logger, such as "tornado.access"
    Level level = Level::info;  ///< the level it was logged at
    std::string message;        ///< the text as passed to the logger, not yet formatted
    std::chrono::system_clock::time_point created;  ///< when it was logged
    std::string module;     ///< source file name without directory and extension, like Python's
    unsigned line = 0;      ///< line of the logging call in `module`
    std::string exception;  ///< "<type>: <what()>" when logged with an exception, else empty
};

/** A named source of records (Python's `logging.Logger`). Each logger has its own threshold;
    `Level::notset` (the default) means "use the root level" (see set_root_level()).
    Loggers are cheap, constant-initialised objects meant to live for the whole program. */
class Logger {
public:
    /// @param name must outlive the logger: normally a string literal.
    constexpr explicit Logger(std::string_view name, Level level = Level::notset) noexcept
        : name_(name), level_(static_cast<int>(level)) {}
    Logger(const Logger&) = delete;
    Logger& operator=(const Logger&) = delete;

    /// The dotted name records carry, such as "tornado.application".
    std::string_view name() const noexcept { return name_; }
    ///@{
    /// This logger's own threshold (Python's `setLevel()` and `level`): records below it are
    /// dropped. `Level::notset` defers to the root level. Safe to change from any thread.
    void set_level(Level level) noexcept;
    Level level() const noexcept;
    ///@}
    /// The level in force: this logger's own, or the root level when its own is notset.
    Level effective_level() const noexcept;
    /// Test before building an expensive message.
    bool is_enabled_for(Level level) const noexcept;

    ///@{
    /** Sends `message` to the handlers at the given level when the logger is enabled for it
        (Python's `logger.log()`, `debug()`, `info()`, ...). `where` defaults to the caller's
        position, which gives the record its `module` and `line`. The message is not a format
        string: build it first, and test is_enabled_for() when that is costly. */
    void log(Level level, std::string_view message,
             std::source_location where = std::source_location::current()) const;
    void debug(std::string_view message,
               std::source_location where = std::source_location::current()) const;
    void info(std::string_view message,
              std::source_location where = std::source_location::current()) const;
    void warning(std::string_view message,
                 std::source_location where = std::source_location::current()) const;
    void error(std::string_view message,
               std::source_location where = std::source_location::current()) const;
    void critical(std::string_view message,
                  std::source_location where = std::source_location::current()) const;
    ///@}
    /** Logs at error level with the exception's type and message appended, as Python's
        `logger.exception()` appends the traceback. Call it inside a `catch` block, or pass the
        exception. */
    void exception(std::string_view message, std::exception_ptr error = std::current_exception(),
                   std::source_location where = std::source_location::current()) const;

private:
    std::string_view name_;
    std::atomic<int> level_;
};

/// Per-request lines of the HTTP server ("tornado.access").
extern constinit Logger access_log;
/// Errors from application code, such as exceptions escaping a handler ("tornado.application").
extern constinit Logger app_log;
/// Everything else Typhoon itself reports ("tornado.general").
extern constinit Logger gen_log;

///@{
/// The threshold of every logger whose own level is notset; `Level::info` until changed.
void set_root_level(Level level) noexcept;
Level root_level() noexcept;
///@}

/// Receives records. Handlers are asked newest first; one that returns true has consumed the
/// record and the older handlers do not see it (how captures keep expected records quiet).
class Handler {
public:
    virtual ~Handler() = default;
    /// Called with the global handler lock held: it must not log.
    virtual bool handle(const Record& record) = 0;
};

/// Installs `handler` in front of the others. The default handler writes to stderr.
void add_handler(std::shared_ptr<Handler> handler);
/// Removes `handler` if it is installed.
void remove_handler(const Handler& handler) noexcept;
/// Removes every handler, the default stderr one included: records are then dropped.
void clear_handlers() noexcept;
/// Removes every handler and reinstalls the default stderr one (the state at start-up).
void reset_handlers();

/// Demangled type name and what() of an exception: "std::out_of_range: vector::_M_range_check".
std::string describe_exception(const std::exception_ptr& error);

}  // namespace typhoon::log

#endif
