#include <typhoon/testing/expect_log.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <regex>

namespace typhoon::testing {

class ExpectLog::Filter final : public log::Handler {
public:
    Filter(const log::Logger& logger, std::string pattern, ExpectLogOptions options)
        : logger_name_(logger.name()),
          pattern_(std::move(pattern)),
          regex_(pattern_),
          options_(options) {}

    bool handle(const log::Record& record) override {
        if (record.logger != logger_name_) return false;
        if (options_.level && record.level != *options_.level) return false;
        if (!std::regex_search(record.message, regex_)) return false;
        ++matched_;
        return true;
    }

    const std::string& pattern() const noexcept { return pattern_; }
    bool required() const noexcept { return options_.required; }
    int matched() const noexcept { return matched_; }

private:
    std::string logger_name_;
    std::string pattern_;
    std::regex regex_;
    ExpectLogOptions options_;
    std::atomic<int> matched_{0};
};

ExpectLog::ExpectLog(const log::Logger& logger, std::string regex, ExpectLogOptions options)
    : filter_(std::make_shared<Filter>(logger, std::move(regex), options)) {
    log::add_handler(filter_);
}

ExpectLog::~ExpectLog() {
    log::remove_handler(*filter_);
    if (filter_->required() && filter_->matched() == 0)
        BOOST_ERROR("did not get expected log message matching \"" << filter_->pattern() << "\"");
}

int ExpectLog::matched() const noexcept {
    return filter_->matched();
}

}  // namespace typhoon::testing
