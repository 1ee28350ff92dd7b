#include <typhoon/core/log_formatter.hpp>

#include <unistd.h>

#include <cctype>
#include <ctime>

namespace typhoon::log {

namespace {

/// Tornado's colours (tornado.log.LogFormatter.DEFAULT_COLORS), as ANSI foreground codes.
std::string_view color_of(Level level) {
    switch (level) {
        case Level::debug:
            return "\033[34m";  // blue
        case Level::info:
            return "\033[32m";  // green
        case Level::warning:
            return "\033[33m";  // yellow
        case Level::error:
            return "\033[31m";  // red
        case Level::critical:
            return "\033[35m";  // magenta
        default:
            return "";
    }
}

}  // namespace

LogFormatter::LogFormatter(LogFormatterOptions options) : options_(std::move(options)) {}

std::string LogFormatter::format(const Record& record) const {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(record.created);
    std::tm local{};
    localtime_r(&seconds, &local);
    char date[64];
    const std::size_t date_length =
        std::strftime(date, sizeof date, options_.date_format.c_str(), &local);

    const std::string_view color = options_.color ? color_of(record.level) : std::string_view();
    std::string out;
    out.reserve(record.message.size() + 48);
    out += color;
    out += '[';
    out += level_name(record.level).front();
    out += ' ';
    out.append(date, date_length);
    out += ' ';
    out += record.module;
    out += ':';
    out += std::to_string(record.line);
    out += ']';
    if (!color.empty()) out += "\033[0m";
    out += ' ';

    std::string body = record.message;
    if (!record.exception.empty()) {
        // As Tornado: with an exception, the message is right-stripped and the exception follows.
        while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back())))
            body.pop_back();
        body += "\n" + record.exception;
    }
    for (char c : body) {
        out += c;
        if (c == '\n') out += "    ";
    }
    return out;
}

StreamHandler::StreamHandler(std::FILE* stream, LogFormatterOptions options)
    : stream_(stream), formatter_(std::move(options)) {}

std::shared_ptr<StreamHandler> StreamHandler::for_stderr() {
    return std::make_shared<StreamHandler>(
        stderr, LogFormatterOptions{.color = ::isatty(STDERR_FILENO) == 1});
}

bool StreamHandler::handle(const Record& record) {
    std::string line = formatter_.format(record);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stream_);
    std::fflush(stream_);
    return false;
}

}  // namespace typhoon::log
