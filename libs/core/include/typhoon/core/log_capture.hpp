#ifndef TYPHOON_CORE_LOG_CAPTURE_HPP
#define TYPHOON_CORE_LOG_CAPTURE_HPP

#include <typhoon/core/log.hpp>

#include <memory>
#include <string_view>
#include <vector>

namespace typhoon::log {

/// Which records a LogCapture keeps.
struct LogCaptureOptions {
    /// Capture only this logger's records; nullptr captures every logger.
    const Logger* logger = nullptr;
    /// Capture only records at this level or above.
    Level min_level = Level::notset;
    /// Also pass captured records on to the older handlers (stderr), instead of keeping them quiet.
    bool pass_through = false;
};

/** Collects log records while it lives, for tests that assert what was logged (the testing
    library's `ExpectLog` is built on it). Records that do not match the options go on to the
    other handlers as usual.

        LogCapture capture{{.logger = &gen_log}};
        do_something();
        BOOST_TEST(capture.contains("Missing argument"));
*/
class LogCapture {
public:
    /// Starts capturing: installs a handler in front of the others until destruction.
    explicit LogCapture(LogCaptureOptions options = {});
    ~LogCapture();
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    /// A copy of the records captured so far, oldest first.
    std::vector<Record> records() const;
    /// True when a captured record's message contains `text`.
    bool contains(std::string_view text) const;
    /// Forgets the records captured so far; capturing goes on.
    void clear();

private:
    class Sink;
    std::shared_ptr<Sink> sink_;
};

}  // namespace typhoon::log

#endif
