#include <typhoon/core/log_file_handler.hpp>

#include <typhoon/core/error.hpp>
#include <typhoon/core/log_formatter.hpp>

#include <sys/stat.h>
#include <algorithm>
#include <cctype>
#include <vector>

namespace typhoon::log {

namespace {

std::FILE* open_for_append(const std::filesystem::path& path) {
    std::FILE* file = std::fopen(path.c_str(), "a");
    if (!file) throw Error("cannot open log file '" + path.string() + "'");
    return file;
}

std::string line_of(const Record& record) {
    static const LogFormatter formatter(LogFormatterOptions{.color = false});
    return formatter.format(record) + "\n";
}

void write_line(std::FILE* file, const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), file);
    std::fflush(file);
}

void remove_quietly(const std::filesystem::path& path) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
}

}  // namespace

RotatingFileHandler::RotatingFileHandler(std::filesystem::path path,
                                         RotatingFileHandlerOptions options)
    : path_(std::move(path)), options_(options), file_(open_for_append(path_)) {}

RotatingFileHandler::~RotatingFileHandler() {
    if (file_) std::fclose(file_);
}

bool RotatingFileHandler::handle(const Record& record) {
    const std::string line = line_of(record);
    if (options_.max_bytes > 0 && file_) {
        std::fseek(file_, 0, SEEK_END);
        const long size = std::ftell(file_);
        if (size >= 0 && static_cast<std::uintmax_t>(size) + line.size() >= options_.max_bytes)
            roll_over();
    }
    if (file_) write_line(file_, line);
    return options_.exclusive;
}

void RotatingFileHandler::roll_over() {
    std::fclose(file_);
    file_ = nullptr;
    if (options_.backup_count > 0) {
        auto numbered = [&](int n) {
            return std::filesystem::path(path_.string() + "." + std::to_string(n));
        };
        std::error_code ignored;
        for (int i = options_.backup_count - 1; i >= 1; --i) {
            if (!std::filesystem::exists(numbered(i))) continue;
            remove_quietly(numbered(i + 1));
            std::filesystem::rename(numbered(i), numbered(i + 1), ignored);
        }
        remove_quietly(numbered(1));
        std::filesystem::rename(path_, numbered(1), ignored);
    }
    file_ = std::fopen(path_.c_str(), "a");  // Python reopens in append mode
}

TimedRotatingFileHandler::TimedRotatingFileHandler(std::filesystem::path path,
                                                   TimedRotatingFileHandlerOptions options)
    : path_(std::move(path)), options_(std::move(options)) {
    for (char c : options_.when)
        when_ += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (when_ == "S") {
        seconds_ = 1, suffix_ = "%Y-%m-%d_%H-%M-%S";
    } else if (when_ == "M") {
        seconds_ = 60, suffix_ = "%Y-%m-%d_%H-%M";
    } else if (when_ == "H") {
        seconds_ = 3600, suffix_ = "%Y-%m-%d_%H";
    } else if (when_ == "D" || when_ == "MIDNIGHT") {
        seconds_ = 86400, suffix_ = "%Y-%m-%d";
    } else if (when_.size() == 2 && when_[0] == 'W') {
        if (when_[1] < '0' || when_[1] > '6')
            throw Error("Invalid day specified for weekly rollover: " + when_.substr(1));
        weekday_ = when_[1] - '0';
        seconds_ = 7 * 86400, suffix_ = "%Y-%m-%d";
    } else {
        throw Error("Invalid rollover interval specified: " + options_.when);
    }
    seconds_ *= std::max(options_.interval, 1);
    file_ = open_for_append(path_);
    struct stat info {};
    const std::time_t start =
        ::stat(path_.c_str(), &info) == 0 ? info.st_mtime : std::time(nullptr);
    rollover_at_ = compute_rollover(start);
}

TimedRotatingFileHandler::~TimedRotatingFileHandler() {
    if (file_) std::fclose(file_);
}

std::time_t TimedRotatingFileHandler::compute_rollover(std::time_t now) const {
    if (when_ != "MIDNIGHT" && when_[0] != 'W') return now + seconds_;
    std::tm t{};
    if (options_.utc)
        gmtime_r(&now, &t);
    else
        localtime_r(&now, &t);
    // Seconds to the next midnight, then on to the wanted weekday (Python counts Monday as 0).
    std::time_t result = now + 86400 - ((t.tm_hour * 60 + t.tm_min) * 60 + t.tm_sec);
    if (when_[0] == 'W') {
        const int day = (t.tm_wday + 6) % 7;
        if (day != weekday_)
            result += 86400 * (day < weekday_ ? weekday_ - day : 6 - day + weekday_ + 1);
    }
    return result;
}

bool TimedRotatingFileHandler::handle(const Record& record) {
    const std::time_t now = std::time(nullptr);
    if (now >= rollover_at_) roll_over(now);
    if (file_) write_line(file_, line_of(record));
    return options_.exclusive;
}

void TimedRotatingFileHandler::roll_over(std::time_t now) {
    if (file_) std::fclose(file_);
    file_ = nullptr;
    const std::time_t start = rollover_at_ - seconds_;
    std::tm t{};
    if (options_.utc)
        gmtime_r(&start, &t);
    else
        localtime_r(&start, &t);
    char stamp[64];
    const std::size_t n = std::strftime(stamp, sizeof stamp, suffix_.c_str(), &t);
    const std::filesystem::path target(path_.string() + "." + std::string(stamp, n));
    remove_quietly(target);
    std::error_code ignored;
    std::filesystem::rename(path_, target, ignored);
    if (options_.backup_count > 0) {
        // Rolled-over names have the shape of the suffix: digits where strftime wrote digits.
        const std::string prefix = path_.filename().string() + ".";
        std::vector<std::filesystem::path> old;
        for (const auto& entry : std::filesystem::directory_iterator(
                 path_.parent_path().empty() ? "." : path_.parent_path(), ignored)) {
            const std::string name = entry.path().filename().string();
            if (!name.starts_with(prefix) || name.size() != prefix.size() + n) continue;
            bool same_shape = true;
            for (std::size_t i = 0; i < n; ++i)
                same_shape &=
                    (std::isdigit(static_cast<unsigned char>(stamp[i])) != 0) ==
                    (std::isdigit(static_cast<unsigned char>(name[prefix.size() + i])) != 0);
            if (same_shape) old.push_back(entry.path());
        }
        std::sort(old.begin(), old.end());
        for (std::size_t i = 0; i + static_cast<std::size_t>(options_.backup_count) < old.size();
             ++i)
            remove_quietly(old[i]);
    }
    file_ = std::fopen(path_.c_str(), "a");
    std::time_t next = compute_rollover(now);
    while (next <= now)
        next += seconds_;
    rollover_at_ = next;
}

}  // namespace typhoon::log
