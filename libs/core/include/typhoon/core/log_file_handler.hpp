#ifndef TYPHOON_CORE_LOG_FILE_HANDLER_HPP
#define TYPHOON_CORE_LOG_FILE_HANDLER_HPP

#include <typhoon/core/log.hpp>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <string>

namespace typhoon::log {

/// When a RotatingFileHandler rolls over, and how many old files it keeps.
struct RotatingFileHandlerOptions {
    /// Roll over before a record would bring the file to this many bytes; 0 never rolls over.
    std::uintmax_t max_bytes = 0;
    /// Keep `path.1` ... `path.N`; with 0 the file is never renamed (and grows), as in Python.
    int backup_count = 0;
    /// Return true from handle(), so that older handlers (the default stderr one) do not see the
    /// records: how a --log_file_prefix sends logs to the file only.
    bool exclusive = false;
};

/** Writes records in Tornado's format (no colour) to a file that is renamed to `path.1`, `path.2`,
    ... when it grows past `max_bytes` (Python's logging.handlers.RotatingFileHandler).
    @throws typhoon::Error from the constructor when the file cannot be opened. */
class RotatingFileHandler final : public Handler {
public:
    /// Opens `path` for appending, creating it if needed.
    RotatingFileHandler(std::filesystem::path path, RotatingFileHandlerOptions options = {});
    ~RotatingFileHandler() override;
    RotatingFileHandler(const RotatingFileHandler&) = delete;
    RotatingFileHandler& operator=(const RotatingFileHandler&) = delete;
    bool handle(const Record& record) override;

private:
    void roll_over();
    std::filesystem::path path_;
    RotatingFileHandlerOptions options_;
    std::FILE* file_ = nullptr;
};

/// When a TimedRotatingFileHandler rolls over, and how many old files it keeps.
struct TimedRotatingFileHandlerOptions {
    /// "S", "M", "H", "D", "midnight" or "W0" (Monday) ... "W6", in any case, as Python's `when`.
    std::string when = "H";
    /// Roll over every `interval` units of `when`.
    int interval = 1;
    /// How many rolled-over files to keep; 0 keeps all.
    int backup_count = 0;
    /// Compute midnight and name files in UTC rather than local time.
    bool utc = false;
    bool exclusive = false;  ///< as RotatingFileHandlerOptions::exclusive
};

/** Writes records to a file that is renamed to `path` plus a date suffix (`app.log.2026-11-23`) at
    each interval (Python's logging.handlers.TimedRotatingFileHandler).
    @throws typhoon::Error for an unknown `when` or a file that cannot be opened. */
class TimedRotatingFileHandler final : public Handler {
public:
    /// Opens `path` for appending and computes the first rollover time from `when`.
    TimedRotatingFileHandler(std::filesystem::path path,
                             TimedRotatingFileHandlerOptions options = {});
    ~TimedRotatingFileHandler() override;
    TimedRotatingFileHandler(const TimedRotatingFileHandler&) = delete;
    TimedRotatingFileHandler& operator=(const TimedRotatingFileHandler&) = delete;
    bool handle(const Record& record) override;

private:
    std::time_t compute_rollover(std::time_t now) const;
    void roll_over(std::time_t now);
    std::filesystem::path path_;
    TimedRotatingFileHandlerOptions options_;
    std::string when_;         // upper case
    std::string suffix_;       // strftime format of the rolled-over names
    std::time_t seconds_ = 0;  // length of one interval
    int weekday_ = 0;
    std::time_t rollover_at_ = 0;
    std::FILE* file_ = nullptr;
};

}  // namespace typhoon::log

#endif
