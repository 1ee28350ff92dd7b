#include <typhoon/web/application.hpp>

#include <typhoon/web/builtin_handlers.hpp>
#include <typhoon/web/request_handler.hpp>
#include <typhoon/web/static_file_handler.hpp>

#include "digest.hpp"
#include "python_regex.hpp"

#include <typhoon/core/error.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/template/loader.hpp>

#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace typhoon::web {

namespace {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

/** The routes of one host rule. Literal routes are found by one hash lookup; only the regex
    routes listed before the literal one found (first match wins, as in Tornado) are tried, and
    each only when the path starts with its literal prefix. */
class RouteTable {
public:
    explicit RouteTable(std::vector<URLSpec> specs) : specs_(std::move(specs)) {
        for (std::size_t i = 0; i < specs_.size(); ++i) {
            if (const auto& literal = specs_[i].literal_path())
                literal_index_.try_emplace(*literal, i);  // an earlier duplicate wins
            else
                regex_indexes_.push_back(i);
        }
    }

    /// The route for `path`, with the groups of a regex route in `match`; nullptr when none.
    const URLSpec* find(std::string_view path, URLSpec::Match& match) const {
        std::size_t literal = specs_.size();
        if (const auto hit = literal_index_.find(path); hit != literal_index_.end())
            literal = hit->second;
        for (const std::size_t i : regex_indexes_) {
            if (i > literal) break;
            if (auto found = specs_[i].match(path)) {
                match = std::move(*found);
                return &specs_[i];
            }
        }
        return literal < specs_.size() ? &specs_[literal] : nullptr;
    }

    const std::vector<URLSpec>& specs() const noexcept { return specs_; }

private:
    std::vector<URLSpec> specs_;
    std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> literal_index_;
    std::vector<std::size_t> regex_indexes_;
};

struct HostRule {
    std::optional<detail::PythonRegex> host;  // empty: every host
    RouteTable routes;
};

// Python's re.escape: a literal string as a pattern.
std::string regex_escape(std::string_view text) {
    static constexpr std::string_view special = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f";
    std::string out;
    for (const char c : text) {
        if (special.find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

// Whether the percent-decoded path holds a NUL, CR or LF. None names a resource: a NUL ends a
// file name at the C library (a handler would open "a.txt" for "a.txt%00.html" and serve it with
// the other name's type), CR and LF would split a header a handler copies the path into.
bool decodes_to_nul_cr_or_lf(std::string_view path) noexcept {
    for (std::size_t i = 0; i < path.size(); ++i) {
        const char c = path[i];
        if (c == '\0' || c == '\r' || c == '\n') return true;
        if (c == '%' && i + 2 < path.size() && path[i + 1] == '0') {
            const char low = static_cast<char>(path[i + 2] | 0x20);
            if (path[i + 2] == '0' || low == 'a' || low == 'd') return true;
        }
    }
    return false;
}

std::string anchored_at_end(std::string_view pattern) {
    std::string anchored(pattern);
    if (!anchored.ends_with('$')) anchored += '$';
    return anchored;
}

}  // namespace

/// The application behind its handle: what requests read, built before serving starts.
struct Application::Impl final : httputil::HTTPServerConnectionDelegate {
    Application* owner = nullptr;
    Settings settings;
    std::vector<HostRule> host_rules;  // the host-specific ones, then the wildcard one
    std::unordered_map<std::string, URLSpec, StringHash, std::equal_to<>> named;
    HandlerFactory not_found = handler<ErrorHandler>(404);
    HandlerFactory bad_path = handler<ErrorHandler>(400);
    std::vector<std::unique_ptr<httpserver::HTTPServer>> servers;

    mutable std::mutex cache_mutex;
    mutable std::unordered_map<std::string, std::unique_ptr<templates::BaseLoader>> loaders;
    // A file's version, with what identified the file's state when it was hashed.
    struct StaticVersion {
        std::string hash;
        std::uint64_t size = 0, inode = 0;
        std::int64_t mtime_ns = 0;
        bool same_file(const struct stat& now) const noexcept {
            return size == static_cast<std::uint64_t>(now.st_size) &&
                   inode == static_cast<std::uint64_t>(now.st_ino) &&
                   mtime_ns == static_cast<std::int64_t>(now.st_mtim.tv_sec) * 1'000'000'000 +
                                   now.st_mtim.tv_nsec;
        }
    };
    mutable std::unordered_map<std::string, StaticVersion> static_versions;

    void add_names(const std::vector<URLSpec>& specs) {
        for (const auto& spec : specs) {
            if (spec.name().empty()) continue;
            if (named.contains(spec.name()))
                log::app_log.warning("Multiple handlers named " + spec.name() +
                                     "; replacing previous value");
            named.insert_or_assign(spec.name(), spec);
        }
    }

    std::unique_ptr<httputil::HTTPMessageDelegate> start_request() override;
};

/// Stands in for the connection while a streaming handler's prepare() runs, before the body has
/// been read: the response can be sealed then, but not sent.
class ConnectionNotYetAvailable final : public httputil::HTTPConnection {
public:
    awaitable<void> write_headers(httputil::ResponseStartLine, httputil::HTTPHeaders,
                                  std::string_view) override {
        throw std::logic_error("a streaming handler cannot send before the body is read");
    }
    awaitable<void> write(std::string_view) override { return write_headers({}, {}, {}); }
    awaitable<void> flush() override { return write_headers({}, {}, {}); }
    awaitable<void> finish() override { return write_headers({}, {}, {}); }
};

/// One request's passage through the application (Tornado's _HandlerDelegate): routed when its
/// headers arrive; the body is read whole, or handed piece by piece to a streaming handler.
class RequestDispatcher final : public httputil::HTTPMessageDelegate {
public:
    explicit RequestDispatcher(Application::Impl& app) : app_(app) {}

    // One is made and dropped per request: each thread keeps the last one's memory for the next.
    static void* operator new(std::size_t size) {
        if (void* kept = std::exchange(spare().memory, nullptr)) return kept;
        return ::operator new(size);
    }
    static void operator delete(void* memory) noexcept {
        auto& kept = spare().memory;
        if (kept)
            ::operator delete(memory);
        else
            kept = memory;
    }

    awaitable<void> headers_received(httputil::HTTPServerRequest& request) override {
        route(request);
        if (!factory_->streams_body()) co_return;
        make_handler(request, not_yet_);
        co_await handler_->start(std::move(match_.args), std::move(match_.kwargs),
                                 factory_->allowed_methods(), factory_->calls_prepare());
    }

    awaitable<void> data_received(httputil::HTTPServerRequest& request,
                                  std::string_view chunk) override {
        if (handler_) {
            co_await handler_->receive(chunk);
        } else {
            request.body.append(chunk);
        }
    }

    // Not a coroutine: it returns the handler's, so a request costs one coroutine frame less.
    awaitable<void> finish(httputil::HTTPServerRequest& request,
                           httputil::HTTPConnection& connection) override {
        if (handler_) {  // streamed: prepare() and the body are behind us
            handler_->connection_ = &connection;
            return handler_->complete();
        }
        request.parse_body();
        make_handler(request, connection);
        return handler_->execute(std::move(match_.args), std::move(match_.kwargs),
                                 factory_->allowed_methods(), factory_->calls_prepare());
    }

    void on_connection_close() override {
        if (handler_) handler_->on_connection_close();
    }

    bool watches_connection_close() const noexcept override {
        return factory_ && factory_->watches_close();
    }

private:
    void route(const httputil::HTTPServerRequest& request) {
        if (decodes_to_nul_cr_or_lf(request.path)) {
            factory_ = &app_.bad_path;  // before any route sees it
            return;
        }
        factory_ = &app_.not_found;
        for (const auto& rule : app_.host_rules) {
            if (rule.host && !rule.host->match(request.host_name)) continue;
            if (const URLSpec* found = rule.routes.find(request.path, match_)) {
                factory_ = &found->handler_factory();
                return;
            }
        }
        if (app_.settings.default_handler_class) factory_ = &app_.settings.default_handler_class;
    }

    void make_handler(httputil::HTTPServerRequest& request, httputil::HTTPConnection& connection) {
        if (!app_.owner->compiled_template_cache()) {
            const std::lock_guard lock(app_.cache_mutex);
            for (auto& [path, loader] : app_.loaders)
                loader->reset();
        }
        handler_ = (*factory_)(*app_.owner, request, connection);
        handler_->owner_ = &handler_;
    }

    struct Spare {
        void* memory = nullptr;
        ~Spare() { ::operator delete(memory); }
    };
    static Spare& spare() noexcept {
        thread_local Spare kept;
        return kept;
    }

    Application::Impl& app_;
    const HandlerFactory* factory_ = nullptr;
    URLSpec::Match match_;
    ConnectionNotYetAvailable not_yet_;
    std::unique_ptr<RequestHandler> handler_;
};

std::unique_ptr<httputil::HTTPMessageDelegate> Application::Impl::start_request() {
    return std::make_unique<RequestDispatcher>(*this);
}

Application::Application(std::vector<URLSpec> handlers, Settings settings)
    : impl_(std::make_unique<Impl>()) {
    impl_->owner = this;
    impl_->settings = std::move(settings);
    // static_path serves its files at static_url_prefix, and /favicon.ico and /robots.txt from it,
    // before the application's own routes, as Tornado does.
    if (const auto& static_path = impl_->settings.static_path; !static_path.empty()) {
        for (const auto& pattern :
             {regex_escape(impl_->settings.static_url_prefix) + "(.*)",
              std::string(R"(/(favicon\.ico))"), std::string(R"(/(robots\.txt))")})
            handlers.insert(handlers.begin(),
                            URLSpec(pattern, handler<StaticFileHandler>(static_path)));
    }
    impl_->add_names(handlers);
    impl_->host_rules.push_back(HostRule{std::nullopt, RouteTable(std::move(handlers))});
}

Application::Application(Application&& other) noexcept : impl_(std::move(other.impl_)) {
    if (impl_) impl_->owner = this;
}

Application& Application::operator=(Application&& other) noexcept {
    impl_ = std::move(other.impl_);
    if (impl_) impl_->owner = this;
    return *this;
}

Application::~Application() = default;

void Application::add_handlers(std::string_view host_pattern, std::vector<URLSpec> handlers) {
    impl_->add_names(handlers);
    // Before the wildcard rule, after earlier host rules: Tornado's rules.insert(-1, rule).
    impl_->host_rules.insert(impl_->host_rules.end() - 1,
                             HostRule{detail::PythonRegex(anchored_at_end(host_pattern)),
                                      RouteTable(std::move(handlers))});
}

httpserver::HTTPServer& Application::listen(std::uint16_t port, std::string_view address,
                                            httpserver::HTTPServerOptions options) {
    auto server = std::make_unique<httpserver::HTTPServer>(*impl_, std::move(options));
    server->listen(port, address);
    impl_->servers.push_back(std::move(server));
    return *impl_->servers.back();
}

std::string Application::reverse_url(std::string_view name,
                                     const std::vector<std::string>& args) const {
    const auto found = impl_->named.find(name);
    if (found == impl_->named.end()) throw Error(std::string(name) + " not found in named urls");
    return found->second.reverse(args);
}

const Settings& Application::settings() const noexcept {
    return impl_->settings;
}

bool Application::compiled_template_cache() const noexcept {
    return impl_->settings.compiled_template_cache.value_or(!impl_->settings.debug);
}

bool Application::static_hash_cache() const noexcept {
    return impl_->settings.static_hash_cache.value_or(!impl_->settings.debug);
}

bool Application::serve_traceback() const noexcept {
    return impl_->settings.serve_traceback.value_or(impl_->settings.debug);
}

void Application::log_request(const RequestHandler& handler) const {
    if (impl_->settings.log_function) {
        impl_->settings.log_function(handler);
        return;
    }
    const int status = handler.get_status();
    const auto level = status < 400   ? log::Level::info
                       : status < 500 ? log::Level::warning
                                      : log::Level::error;
    if (!log::access_log.is_enabled_for(level)) return;
    char milliseconds[32];
    std::snprintf(milliseconds, sizeof milliseconds, "%.2fms",
                  1000.0 * handler.request().request_time());
    log::access_log.log(
        level, std::to_string(status) + " " + handler.request_summary() + " " + milliseconds);
}

templates::BaseLoader& Application::template_loader(const std::string& template_path) const {
    const std::lock_guard lock(impl_->cache_mutex);
    auto& loader = impl_->loaders[template_path];
    if (!loader) {
        templates::LoaderOptions options;
        options.autoescape = impl_->settings.autoescape;
        options.whitespace = impl_->settings.template_whitespace;
        loader = std::make_unique<templates::Loader>(template_path, std::move(options));
    }
    return *loader;
}

std::string Application::static_version(std::string_view path) const {
    const auto absolute =
        std::filesystem::absolute(std::filesystem::path(impl_->settings.static_path) / path)
            .lexically_normal()
            .string();
    const bool cached = static_hash_cache();
    struct stat now {};
    if (::stat(absolute.c_str(), &now) != 0) {
        log::gen_log.error("Could not open static file '" + absolute + "'");
        return {};
    }
    if (cached) {
        const std::lock_guard lock(impl_->cache_mutex);
        if (const auto found = impl_->static_versions.find(absolute);
            found != impl_->static_versions.end() && found->second.same_file(now))
            return found->second.hash;
    }
    // Streamed: a large file costs 64 KiB of memory, not its size.
    std::string version = detail::file_sha512_hex(absolute).value_or("");
    if (version.empty()) log::gen_log.error("Could not open static file '" + absolute + "'");
    if (cached) {
        const std::lock_guard lock(impl_->cache_mutex);
        impl_->static_versions.insert_or_assign(
            absolute,
            Impl::StaticVersion{version, static_cast<std::uint64_t>(now.st_size),
                                static_cast<std::uint64_t>(now.st_ino),
                                static_cast<std::int64_t>(now.st_mtim.tv_sec) * 1'000'000'000 +
                                    now.st_mtim.tv_nsec});
    }
    return version;
}

Application::operator httputil::HTTPServerConnectionDelegate&() noexcept {
    return *impl_;
}

}  // namespace typhoon::web
