#ifndef TYPHOON_CORE_LOG_FORMATTER_HPP
#define TYPHOON_CORE_LOG_FORMATTER_HPP

#include <typhoon/core/log.hpp>

#include <cstdio>
#include <string>

namespace typhoon::log {

/// The `color` and `datefmt` arguments of tornado.log.LogFormatter.
struct LogFormatterOptions {
    /// Colour the `[L date module:line]` prefix by level with ANSI codes.
    bool color = false;
    /// strftime() format of the local time in the prefix; Tornado's default.
    std::string date_format = "%y%m%d %H:%M:%S";
};

/** Tornado's one-line format (tornado.log.LogFormatter):
    `[W 261123 08:30:00 web:2243] 404 GET /x (::1) 0.52ms`. Lines after the first, and the
    exception of a record, are indented by four spaces so that each record stays one block. */
class LogFormatter {
public:
    explicit LogFormatter(LogFormatterOptions options = {});  ///< Colourless by default.
    /// The record's text, without a trailing newline.
    std::string format(const Record& record) const;

private:
    LogFormatterOptions options_;
};

/// Writes formatted records to a C stream, one line each, flushed per record.
class StreamHandler final : public Handler {
public:
    /// @param stream must stay open while the handler is installed.
    explicit StreamHandler(std::FILE* stream, LogFormatterOptions options = {});
    /// A handler for stderr that colours its output when stderr is a terminal, as Tornado does.
    static std::shared_ptr<StreamHandler> for_stderr();
    bool handle(const Record& record) override;

private:
    std::FILE* stream_;
    LogFormatter formatter_;
};

}  // namespace typhoon::log

#endif
