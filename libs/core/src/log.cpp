#include <typhoon/core/log.hpp>

#include <typhoon/core/log_formatter.hpp>

#include <cxxabi.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>
#include <typeinfo>
#include <vector>

namespace typhoon::log {

constinit Logger access_log{"tornado.access"};
constinit Logger app_log{"tornado.application"};
constinit Logger gen_log{"tornado.general"};

namespace {

constinit std::atomic<int> root_level_{static_cast<int>(Level::info)};

/// The handler chain, newest first. A function-local static so that logging during static
/// initialisation of another translation unit still finds it.
struct Handlers {
    std::mutex mutex;
    std::vector<std::shared_ptr<Handler>> chain{StreamHandler::for_stderr()};
};

Handlers& handlers() {
    static Handlers instance;
    return instance;
}

std::string module_of(const char* file_name) {
    std::string_view path(file_name);
    if (const auto slash = path.find_last_of('/'); slash != std::string_view::npos)
        path.remove_prefix(slash + 1);
    if (const auto dot = path.find('.'); dot != std::string_view::npos) path = path.substr(0, dot);
    return std::string(path);
}

void dispatch(const Record& record) {
    auto& h = handlers();
    std::lock_guard lock(h.mutex);
    for (const auto& handler : h.chain)
        if (handler->handle(record)) break;
}

void emit(const Logger& logger, Level level, std::string_view message, std::string exception,
          const std::source_location& where) {
    Record record{std::string(logger.name()),   level,
                  std::string(message),         std::chrono::system_clock::now(),
                  module_of(where.file_name()), static_cast<unsigned>(where.line()),
                  std::move(exception)};
    dispatch(record);
}

std::string demangle(const char* mangled) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(
        abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
    return status == 0 && name ? std::string(name.get()) : std::string(mangled);
}

}  // namespace

std::string_view level_name(Level level) noexcept {
    switch (level) {
        case Level::notset:
            return "NOTSET";
        case Level::debug:
            return "DEBUG";
        case Level::info:
            return "INFO";
        case Level::warning:
            return "WARNING";
        case Level::error:
            return "ERROR";
        case Level::critical:
            return "CRITICAL";
    }
    return "NOTSET";
}

std::optional<Level> parse_level(std::string_view name) noexcept {
    std::string upper;
    for (char c : name)
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    for (Level level :
         {Level::notset, Level::debug, Level::info, Level::warning, Level::error, Level::critical})
        if (upper == level_name(level)) return level;
    return std::nullopt;
}

void set_root_level(Level level) noexcept {
    root_level_.store(static_cast<int>(level), std::memory_order_relaxed);
}

Level root_level() noexcept {
    return static_cast<Level>(root_level_.load(std::memory_order_relaxed));
}

void Logger::set_level(Level level) noexcept {
    level_.store(static_cast<int>(level), std::memory_order_relaxed);
}

Level Logger::level() const noexcept {
    return static_cast<Level>(level_.load(std::memory_order_relaxed));
}

Level Logger::effective_level() const noexcept {
    const Level own = level();
    return own == Level::notset ? root_level() : own;
}

bool Logger::is_enabled_for(Level level) const noexcept {
    return static_cast<int>(level) >= static_cast<int>(effective_level());
}

void Logger::log(Level level, std::string_view message, std::source_location where) const {
    if (is_enabled_for(level)) emit(*this, level, message, {}, where);
}

void Logger::debug(std::string_view message, std::source_location where) const {
    log(Level::debug, message, where);
}
void Logger::info(std::string_view message, std::source_location where) const {
    log(Level::info, message, where);
}
void Logger::warning(std::string_view message, std::source_location where) const {
    log(Level::warning, message, where);
}
void Logger::error(std::string_view message, std::source_location where) const {
    log(Level::error, message, where);
}
void Logger::critical(std::string_view message, std::source_location where) const {
    log(Level::critical, message, where);
}

void Logger::exception(std::string_view message, std::exception_ptr error,
                       std::source_location where) const {
    if (is_enabled_for(Level::error))
        emit(*this, Level::error, message, describe_exception(error), where);
}

void add_handler(std::shared_ptr<Handler> handler) {
    auto& h = handlers();
    std::lock_guard lock(h.mutex);
    h.chain.insert(h.chain.begin(), std::move(handler));
}

void remove_handler(const Handler& handler) noexcept {
    auto& h = handlers();
    std::lock_guard lock(h.mutex);
    std::erase_if(h.chain, [&](const auto& installed) { return installed.get() == &handler; });
}

void clear_handlers() noexcept {
    auto& h = handlers();
    std::lock_guard lock(h.mutex);
    h.chain.clear();
}

void reset_handlers() {
    auto fresh = StreamHandler::for_stderr();
    auto& h = handlers();
    std::lock_guard lock(h.mutex);
    h.chain.assign(1, std::move(fresh));
}

std::string describe_exception(const std::exception_ptr& error) {
    if (!error) return {};
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return demangle(typeid(e).name()) + ": " + e.what();
    } catch (...) {
        const std::type_info* type = abi::__cxa_current_exception_type();
        return type ? demangle(type->name()) : std::string("unknown exception");
    }
}

}  // namespace typhoon::log
