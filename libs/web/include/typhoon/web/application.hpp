#ifndef TYPHOON_WEB_APPLICATION_HPP
#define TYPHOON_WEB_APPLICATION_HPP

#include <typhoon/http/http_connection.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/web/settings.hpp>
#include <typhoon/web/url_spec.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace typhoon::templates {
class BaseLoader;
}

/// The web framework (tornado.web and tornado.routing): Application, RequestHandler, routes,
/// cookies, XSRF, static files, UI modules.
namespace typhoon::web {

/** A web application: the route table and the settings (tornado.web.Application).

        web::Application app({web::url<MainHandler>("/")}, {.template_path = "templates"});
        app.listen(8888);
        ioloop::IOLoop::current().start();

    Routes are tried in order; the first whose pattern matches the request path wins. Routes
    added with add_handlers() for a host pattern are tried first for requests to that host.
    A path that percent-decodes to a NUL, CR or LF (`%00`, `%0D`, `%0A`) is answered 400 before
    any route sees it: no resource is named so, and a NUL would end a file name early.
    The application is built before the server starts and does not change while it serves, so one
    Application may serve several loops and threads at once.

    To serve it with your own HTTPServer (e.g. bind() + start(n)), pass it where the server
    expects its HTTPServerConnectionDelegate: `httpserver::HTTPServer server(app);`. */
class Application {
public:
    /// @throws typhoon::Error for an invalid route pattern.
    explicit Application(std::vector<URLSpec> handlers = {}, Settings settings = {});
    ///@{
    /// Moves the routes and settings; a moved-from Application may only be destroyed or assigned.
    /// Do not move an Application that a server is serving.
    Application(Application&&) noexcept;
    Application& operator=(Application&&) noexcept;
    ///@}
    ~Application();

    /// Adds routes tried first for requests whose host name matches `host_pattern` (a Python
    /// regex, anchored at both ends); later calls come before earlier ones, as in Tornado.
    void add_handlers(std::string_view host_pattern, std::vector<URLSpec> handlers);

    /** Starts an HTTPServer for this application on `port` (0: any free port; see
        server.ports()). The application owns the server and must outlive the loop's run. */
    httpserver::HTTPServer& listen(std::uint16_t port, std::string_view address = "",
                                   httpserver::HTTPServerOptions options = {});

    /** The path of the route named `name` with `args` in its groups.
        @throws typhoon::Error when no route has that name, or it cannot be reversed. */
    std::string reverse_url(std::string_view name, const std::vector<std::string>& args = {}) const;

    /// The settings given to the constructor (Tornado's `application.settings`).
    const Settings& settings() const noexcept;
    ///@{
    /// The settings Tornado derives from debug, resolved: an explicit value in Settings wins;
    /// otherwise the caches are on and serve_traceback off, and the reverse with `debug`.
    bool compiled_template_cache() const noexcept;
    bool static_hash_cache() const noexcept;
    bool serve_traceback() const noexcept;
    ///@}

    /// Writes the access log line of a finished request (Tornado's log_request): on access_log,
    /// info below 400, warning below 500, error above, with the time taken.
    void log_request(const RequestHandler& handler) const;

    /// The template loader for `template_path` (made on first use, shared by requests).
    templates::BaseLoader& template_loader(const std::string& template_path) const;
    /// The `?v=` version of a static file (a path under static_path, or an absolute path): the
    /// hex SHA-512 of its content (as Tornado 6), "" when it cannot be read. The file is read
    /// 64 KiB at a time, never whole. Unless static_hash_cache is off, the hash is kept for the
    /// path and computed again only when the file's size, modification time or inode change
    /// (Tornado keeps the first hash forever).
    std::string static_version(std::string_view path) const;

    /// The application as the request delegate of an HTTPServer you make yourself.
    operator httputil::HTTPServerConnectionDelegate&() noexcept;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace typhoon::web

#endif
