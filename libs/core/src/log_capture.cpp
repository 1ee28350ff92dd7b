#include <typhoon/core/log_capture.hpp>

#include <mutex>

namespace typhoon::log {

class LogCapture::Sink final : public Handler {
public:
    explicit Sink(LogCaptureOptions options) : options_(options) {}

    bool handle(const Record& record) override {
        if (options_.logger && record.logger != options_.logger->name()) return false;
        if (static_cast<int>(record.level) < static_cast<int>(options_.min_level)) return false;
        std::lock_guard lock(mutex_);
        records_.push_back(record);
        return !options_.pass_through;
    }

    std::vector<Record> records() const {
        std::lock_guard lock(mutex_);
        return records_;
    }

    void clear() {
        std::lock_guard lock(mutex_);
        records_.clear();
    }

private:
    LogCaptureOptions options_;
    mutable std::mutex mutex_;  // records() may run on another thread than the logging one
    std::vector<Record> records_;
};

LogCapture::LogCapture(LogCaptureOptions options) : sink_(std::make_shared<Sink>(options)) {
    add_handler(sink_);
}

LogCapture::~LogCapture() {
    remove_handler(*sink_);
}

std::vector<Record> LogCapture::records() const {
    return sink_->records();
}

bool LogCapture::contains(std::string_view text) const {
    for (const auto& record : sink_->records())
        if (record.message.find(text) != std::string::npos) return true;
    return false;
}

void LogCapture::clear() {
    sink_->clear();
}

}  // namespace typhoon::log
