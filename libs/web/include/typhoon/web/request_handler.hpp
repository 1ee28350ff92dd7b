#ifndef TYPHOON_WEB_REQUEST_HANDLER_HPP
#define TYPHOON_WEB_REQUEST_HANDLER_HPP

#include <typhoon/http/http_connection.hpp>
#include <typhoon/http/server_request.hpp>
#include <typhoon/locale/locale.hpp>
#include <typhoon/template/namespace.hpp>
#include <typhoon/web/cookies.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace typhoon::web {

using boost::asio::awaitable;

class Application;
struct Settings;
class UIModule;

/// Options of the get_argument() family.
struct ArgumentOptions {
    /// Strip whitespace (Unicode's included) from both ends of the value, as Tornado's default.
    bool strip = true;
};

/// Options of redirect().
struct RedirectOptions {
    /// 301 instead of 302.
    bool permanent = false;
    /// An explicit 3xx status; overrides `permanent`.
    std::optional<int> status{};
};

/// Options of static_url().
struct StaticUrlOptions {
    /// Prefix the URL with the request's protocol and host.
    bool include_host = false;
    /// Append `?v=<hash of the file>` so that browsers may cache it forever.
    bool include_version = true;
};

/** One HTTP request being answered (tornado.web.RequestHandler). Subclass it and override the
    methods you serve; a method left alone answers 405 with an `Allow` header naming the ones you
    did override.

        class MainHandler final : public web::RequestHandler {
        public:
            using RequestHandler::RequestHandler;
            awaitable<void> get() override {
                write("Hello, " + get_argument("name", "world"));
                co_return;
            }
        };

    The life cycle is Tornado's: the handler is made for one request, `initialize()` receives the
    route's arguments, then `prepare()`, the method (`get()`...), and `on_finish()` once the
    response is complete. The response is finished automatically when the method returns.
    finish(), render(), redirect() and send_error() seal the response; its bytes leave when the
    method returns, or at the next `co_await flush()`.

    Errors are thrown: `throw HTTPError(404)` answers with an error page made by write_error();
    any other exception is logged with the request and answered 500. */
class RequestHandler {
public:
    /// Made by the route's HandlerFactory for one request; subclasses inherit it with
    /// `using RequestHandler::RequestHandler;`. The three objects outlive the handler.
    RequestHandler(Application& application, httputil::HTTPServerRequest& request,
                   httputil::HTTPConnection& connection);
    virtual ~RequestHandler();
    RequestHandler(const RequestHandler&) = delete;
    RequestHandler& operator=(const RequestHandler&) = delete;

    /// Receives the arguments given to the route (`url<H>(pattern, {}, args...)`). Declare your
    /// own `initialize(...)` with the parameters you need; it hides this one.
    void initialize() {}

    // --- entry points: override what you serve -------------------------------------------------
    /// One of the entry points below (get, post...).
    using Entry = awaitable<void> (RequestHandler::*)();
    /// Runs before the method; a response finished here skips the method.
    virtual awaitable<void> prepare();
    ///@{
    /// The HTTP method of the same name: override those the handler serves. The default throws
    /// HTTPError(405); the Allow header of a 405 lists the methods the class overrides (and
    /// HEAD when it overrides get()). A class that overrides get() and not head() answers HEAD
    /// with get() (RFC 9110 §9.3.2), its body left out and its headers kept, Content-Length
    /// included; Tornado answers 405 there.
    virtual awaitable<void> get();
    virtual awaitable<void> head();
    virtual awaitable<void> post();
    ///@}
    /// DELETE (`delete` is a C++ keyword).
    virtual awaitable<void> delete_();
    ///@{
    /// As get(): PATCH, PUT, OPTIONS.
    virtual awaitable<void> patch();
    virtual awaitable<void> put();
    virtual awaitable<void> options();
    ///@}
    /// Called once the response is complete (for cleanup and logging).
    virtual void on_finish() {}
    /// Called when the client goes away before the response is complete.
    virtual void on_connection_close() {}

    /** With `static constexpr bool stream_request_body = true;` in the class (Tornado's
        `@stream_request_body`), the body is not buffered: prepare() runs when the headers arrive,
        then each piece of the body comes here as it is read (the next read waits for this
        coroutine: back-pressure), then the method runs. prepare() may refuse the request
        (throw HTTPError, or finish()); the answer is sent once the body has been read, and the
        rest of the body is dropped. */
    virtual awaitable<void> data_received(std::string_view chunk);
    /** Takes the connection over for another protocol, as WebSocketHandler does (Tornado's
        `request.connection.detach()`): the socket and the bytes read past the request. The response
        counts as sent: nothing more goes out through this handler, the request is logged with
        the status set now, and on_finish() runs.
        @throws httputil::HTTPOutputError once the headers were sent, or for a streamed request;
        iostream::StreamClosedError when the client has gone. */
    iostream::Stream detach();
    /** After detach(), takes the handler itself out of the Application's hands, so that it can
        live on after the method returns: the HTTP server then frees all it held for the
        request (its coroutine frames, the parser, the dispatcher). The handler keeps the request
        (moved into storage of its own: request() stays valid) and drops what it had kept for
        the response (headers, body, reason). The caller owns the handler from here;
       WebSocketHandler runs the connection's whole life this way.
        @throws std::logic_error before detach(), after a previous call, or for a handler not
        made by an Application. */
    std::unique_ptr<RequestHandler> release_after_detach();

    /** Lowers the body size this request may have (Tornado's connection.set_max_body_size),
        often in prepare() of a streaming handler; more gets 413. The server's max_body_size still
        bounds every request. */
    void set_max_body_size(std::size_t bytes) noexcept;

    // --- the request ---------------------------------------------------------------------------
    /// The request being handled (Tornado's `self.request`).
    httputil::HTTPServerRequest& request() const noexcept { return *request_; }
    /// The Application that routed it (Tornado's `self.application`).
    Application& application() const noexcept { return *application_; }
    /// The route's positional groups, URL-decoded; a group that did not take part is "".
    const std::vector<std::string>& path_args() const noexcept { return path_args_; }
    /// The route's named groups `(?P<name>...)`, URL-decoded.
    const std::map<std::string, std::string, std::less<>>& path_kwargs() const noexcept {
        return path_kwargs_;
    }

    /** The last value of argument `name` from the query or a form body, as UTF-8 text with control
        characters replaced by spaces (and stripped unless `options.strip` is false).
        @throws MissingArgumentError (a 400) when there is none; HTTPError(400) when it is not
        UTF-8. */
    std::string get_argument(std::string_view name, ArgumentOptions options = {}) const;
    /// The argument, or `default_value` when there is none.
    std::string get_argument(std::string_view name, std::string_view default_value,
                             ArgumentOptions options = {}) const;
    /// The argument, or std::nullopt when there is none (Tornado's `default=None`).
    std::optional<std::string> get_argument(std::string_view name, std::nullopt_t,
                                            ArgumentOptions options = {}) const;
    /// Every value of argument `name`, in order; empty when there is none.
    std::vector<std::string> get_arguments(std::string_view name,
                                           ArgumentOptions options = {}) const;

    ///@{
    /// As get_argument() and get_arguments(), from the query string only.
    std::string get_query_argument(std::string_view name, ArgumentOptions options = {}) const;
    std::string get_query_argument(std::string_view name, std::string_view default_value,
                                   ArgumentOptions options = {}) const;
    std::optional<std::string> get_query_argument(std::string_view name, std::nullopt_t,
                                                  ArgumentOptions options = {}) const;
    std::vector<std::string> get_query_arguments(std::string_view name,
                                                 ArgumentOptions options = {}) const;
    ///@}

    ///@{
    /// As get_argument() and get_arguments(), from the form body only.
    std::string get_body_argument(std::string_view name, ArgumentOptions options = {}) const;
    std::string get_body_argument(std::string_view name, std::string_view default_value,
                                  ArgumentOptions options = {}) const;
    std::optional<std::string> get_body_argument(std::string_view name, std::nullopt_t,
                                                 ArgumentOptions options = {}) const;
    std::vector<std::string> get_body_arguments(std::string_view name,
                                                ArgumentOptions options = {}) const;
    ///@}

    // --- the response --------------------------------------------------------------------------
    /** `reason` replaces the standard phrase; an unknown code without one reads "Unknown". The
        default error page shows it HTML-escaped.
        @throws std::invalid_argument, naming the character, for a reason with a control
        character other than tab (CR and LF would split the response; Tornado silently uses
        "Unknown" instead). */
    void set_status(int status_code, std::string_view reason = {});
    /// The status of the response so far: 200 until set_status() or an error changes it.
    int get_status() const noexcept { return status_code_; }
    /// Its reason phrase, as the status line will carry it ("OK").
    const std::string& get_reason() const noexcept { return reason_; }

    /** Replaces header `name`. @throws std::invalid_argument for a value with control characters
        (a header injection), which the client sees as a 500. */
    void set_header(std::string_view name, std::string_view value);
    /// An integer value, in decimal (`Content-Length`, `Max-Forwards`...).
    void set_header(std::string_view name, std::integral auto value) {
        set_header(name, std::string_view(std::to_string(value)));
    }
    /// An HTTP date (`Expires`, `Last-Modified`).
    void set_header(std::string_view name, std::chrono::system_clock::time_point value);
    /// Adds a value to header `name`, keeping those it has (a header that may repeat).
    /// @throws std::invalid_argument as set_header() does.
    void add_header(std::string_view name, std::string_view value);
    /// Removes every value of header `name`, one set by set_default_headers() included.
    void clear_header(std::string_view name);
    /// The response headers so far.
    const httputil::HTTPHeaders& headers() const noexcept { return headers_; }
    /// Called at the start of each response (and by clear()): set the headers every response of
    /// this handler carries. The defaults are Server, Content-Type and Date, as in Tornado.
    virtual void set_default_headers() {}
    /// Resets headers, body and status to a fresh 200 response (before anything was sent).
    void clear();

    /** Buffers `chunk` for the response body. @throws std::logic_error after finish(). */
    void write(std::string_view chunk);
    /// As write(std::string_view), for string literals and other C strings.
    void write(const char* chunk) { write(std::string_view(chunk)); }
    /// Writes `object` as JSON and sets `Content-Type: application/json; charset=UTF-8`. Only
    /// objects, as in Tornado: a top-level array is a JSON-hijacking risk.
    void write(const boost::json::object& object);
    /// Sends the headers (the first time) and what is buffered, waiting for the client to take
    /// it: back-pressure for long responses. After finish(), sends the sealed response.
    awaitable<void> flush();
    /** Seals the response (after writing `chunk`): adds Etag and Content-Length, answers 304 to a
        GET whose If-None-Match matches. @throws std::logic_error when called twice. */
    void finish(std::string_view chunk = {});
    /// Whether the response is sealed: finish() ran, or render(), redirect() or an error page.
    bool finished() const noexcept { return finished_; }

    /// Renders template `name` with `args` and finishes the response with it, inserting the
    /// JavaScript and CSS of the UI modules the page used.
    void render(std::string_view template_name, const boost::json::object& args = {});
    /// The rendered template, without finishing.
    std::string render_string(std::string_view template_name, const boost::json::object& args = {});
    /// The names a template sees besides its arguments: `request`, `current_user`, `locale`,
    /// `_`, `pgettext`, `static_url`, `reverse_url`, the application's ui_methods and ui_modules.
    virtual templates::Namespace get_template_namespace();
    /// The directory templates are loaded from; the template_path setting by default.
    virtual std::string get_template_path() const;

    /** Redirects to `url` (302, 301 when permanent) and finishes.
        @throws std::logic_error when the headers were already sent. */
    void redirect(std::string_view url, RedirectOptions options = {});

    /** Answers with an error page: clears the response, sets the status and calls write_error().
        `error` is the exception that caused it, if any. */
    void send_error(int status_code = 500, std::exception_ptr error = nullptr);
    /** Writes the error page. The default is Tornado's one-line HTML page; with serve_traceback,
        a plain-text description of `error` instead. Override it for your own pages. */
    virtual void write_error(int status_code, std::exception_ptr error);
    /// Logs an exception that escaped the handler: an HTTPError with a log message on gen_log as a
    /// warning, anything else with the request on app_log as an error.
    virtual void log_exception(std::exception_ptr error) const;
    /// "GET /path?query (remote_ip)".
    std::string request_summary() const;

    // --- caching -------------------------------------------------------------------------------
    /// The Etag for the response body so far: a quoted SHA-1 of it. Override to change or return
    /// std::nullopt to send none.
    virtual std::optional<std::string> compute_etag() const;
    /// Sets the Etag header to compute_etag(), unless that returns std::nullopt.
    void set_etag_header();
    /// Whether the request's If-None-Match matches the response's Etag.
    bool check_etag_header() const;

    // --- URLs ----------------------------------------------------------------------------------
    /// The path of the route named `name` with `args` in its groups (Application::reverse_url).
    std::string reverse_url(std::string_view name, const std::vector<std::string>& args = {}) const;
    /// The URL of a file under static_path, versioned by a hash of its content.
    std::string static_url(std::string_view path, StaticUrlOptions options = {}) const;

    // --- users and languages -------------------------------------------------------------------
    /// The authenticated user, from get_current_user() on first use; null when nobody is logged in.
    const boost::json::value& current_user();
    /// Sets the user (from an asynchronous prepare(), as Tornado recommends).
    void set_current_user(boost::json::value user);
    /// Override to identify the user (from a cookie, a header...). Null by default.
    virtual boost::json::value get_current_user();

    /// The locale for this request: get_user_locale(), else get_browser_locale().
    const locale::Locale& locale();
    /// Override to use the user's preference (a profile setting); std::nullopt by default.
    virtual std::optional<locale::Locale> get_user_locale();
    /// The best supported locale for the Accept-Language header (q-values honoured), or
    /// `default_code`.
    locale::Locale get_browser_locale(std::string_view default_code = "en_US") const;

    /// The application's settings.
    const Settings& settings() const noexcept;

    // --- cookies, signed cookies, XSRF, login --------------------------------------------------
    /// The request's cookies (request().cookies()).
    const std::map<std::string, std::string, std::less<>>& cookies() const;
    /// The value of the request's cookie `name`; std::nullopt when it sent none. Cookies set by
    /// this handler are not seen: they reach the client with the response.
    std::optional<std::string> get_cookie(std::string_view name) const;
    /// The value of cookie `name`, or `default_value` when the request has none.
    std::string get_cookie(std::string_view name, std::string_view default_value) const;
    /** Sets an outgoing cookie, sent as a Set-Cookie header when the headers go out (setting a
        name again replaces it). The value is quoted as Python's http.cookies quotes it.
        @throws std::invalid_argument for a name or value with control characters or spaces, or
        a name http.cookies refuses (as Tornado); for a domain, path or samesite holding a `;` or
        a control character, which would add attributes of its own to the Set-Cookie line (the
        request then gets a 500). */
    void set_cookie(std::string_view name, std::string_view value, CookieOptions options = {});
    /// Deletes cookie `name` on the client: an empty value that expired a year ago. Give the
    /// path and domain it was set with.
    void clear_cookie(std::string_view name, std::string_view path = "/",
                      std::string_view domain = {});
    /// clear_cookie() for every cookie of the request.
    void clear_all_cookies(std::string_view path = "/", std::string_view domain = {});

    /** `value` signed and timestamped with the cookie_secret setting (create_signed_value()),
        with the secret of key_version when cookie_secrets is set.
        @throws typhoon::Error when no secret is set. */
    std::string create_signed_value(std::string_view name, std::string_view value,
                                    std::optional<int> version = {}) const;
    /// Sets a cookie that cannot be forged: create_signed_value(), 30 days of life by default.
    void set_signed_cookie(std::string_view name, std::string_view value,
                           SignedCookieOptions options = {});
    /// The value of signed cookie `name` when it is valid; std::nullopt when it is missing,
    /// tampered with, too old or signed for another name (those are logged at warning).
    std::optional<std::string> get_signed_cookie(std::string_view name,
                                                 SignedCookieReadOptions options = {}) const;
    /// The key version that signed cookie `name` (or `value`), when it is a version 2 value.
    std::optional<int> get_signed_cookie_key_version(std::string_view name,
                                                     std::optional<std::string> value = {}) const;
    ///@{
    /// Tornado's older names of set_signed_cookie(), get_signed_cookie() and
    /// get_signed_cookie_key_version().
    void set_secure_cookie(std::string_view name, std::string_view value,
                           SignedCookieOptions options = {}) {
        set_signed_cookie(name, value, std::move(options));
    }
    std::optional<std::string> get_secure_cookie(std::string_view name,
                                                 SignedCookieReadOptions options = {}) const {
        return get_signed_cookie(name, std::move(options));
    }
    std::optional<int> get_secure_cookie_key_version(std::string_view name,
                                                     std::optional<std::string> value = {}) const {
        return get_signed_cookie_key_version(name, std::move(value));
    }
    ///@}

    /** The XSRF token of this request, to send back with forms: a fresh mask of the token in the
        `_xsrf` cookie each time (version 2), or the bare token with xsrf_cookie_version = 1. Sets
        the cookie when the request had none. */
    const std::string& xsrf_token();
    /** Checks that the `_xsrf` argument (or an X-XSRFToken or X-CSRFToken header) holds the
        token of the `_xsrf` cookie. Run before prepare() for POST, PUT, PATCH and DELETE when
        the xsrf_cookies setting is on. @throws HTTPError(403) when it does not. */
    virtual void check_xsrf_cookie();
    /// `<input type="hidden" name="_xsrf" value="..."/>` for forms (also `xsrf_form_html()` and
    /// `{% module xsrf_form_html() %}` in templates).
    std::string xsrf_form_html();
    /// Where authenticated() sends users who are not logged in: the login_url setting.
    /// @throws typhoon::Error when it is not set.
    virtual std::string get_login_url() const;

private:
    friend class Application;
    friend class RequestDispatcher;
    friend class FallbackHandler;
    struct Internals;

    // The life cycle in phases: start() runs up to prepare() (before the body when it is
    // streamed), receive() takes a piece of a streamed body, complete() runs the method and sends
    // the response; execute() is start() then complete(). The route's groups are taken by
    // reference (no copy into the coroutine frame): they belong to the request's dispatcher,
    // which outlives the handler's coroutines.
    awaitable<void> execute(std::vector<std::string>&& raw_args,
                            std::map<std::string, std::string, std::less<>>&& raw_kwargs,
                            unsigned allowed_methods, bool calls_prepare);
    awaitable<void> start(std::vector<std::string>&& raw_args,
                          std::map<std::string, std::string, std::less<>>&& raw_kwargs,
                          unsigned allowed_methods, bool calls_prepare);
    awaitable<void> receive(std::string_view chunk);
    awaitable<void> complete();
    /// An exception that ended a phase: Finish finishes, anything else becomes an error page.
    void settle(std::exception_ptr error);
    /// The synchronous start: the method is one Tornado serves, the path arguments are UTF-8,
    /// the XSRF check passes. @throws HTTPError
    void begin(std::vector<std::string>&& raw_args,
               std::map<std::string, std::string, std::less<>>&& raw_kwargs);
    /// The member for the request's method. @throws HTTPError(405) when the class lacks it.
    Entry method_entry() const;
    awaitable<void> send_sealed_response();
    /// The first part of send_sealed_response(), not a coroutine: the connection's write of what
    /// is left of the response (the headers with the body, or the body).
    awaitable<void> write_sealed_response();
    /// The last part: the access log line and on_finish(); rethrows `failure` (the send's).
    void end_request(std::exception_ptr failure);
    void handle_request_exception(std::exception_ptr error);
    /// compress_response: gzip for the body pieces leaving now (`first`: the headers go too).
    std::string transform_body(std::string chunk, bool first, bool finishing);
    UIModule& ui_module(const std::string& name);
    Internals& internals();

    // --- cookies and XSRF ----------------------------------------------------------------------
    struct CookieState;
    CookieState& cookie_state();
    /// Adds the Set-Cookie headers of set_cookie(); called just before the headers go out.
    void add_cookie_headers();
    /// check_xsrf_cookie() when the method and the xsrf_cookies setting call for it.
    void check_xsrf_if_enabled();
    /// Adds `xsrf_form_html` to a template namespace, as a function and as a module.
    void add_xsrf_names(templates::Namespace& names);

    Application* application_;
    httputil::HTTPServerRequest* request_;
    httputil::HTTPConnection* connection_;              // null once detached
    std::unique_ptr<RequestHandler>* owner_ = nullptr;  // the dispatcher's pointer to this
    std::unique_ptr<httputil::HTTPServerRequest> owned_request_;  // after release_after_detach()
    httputil::HTTPHeaders headers_;
    std::string body_;
    std::string reason_;
    int status_code_ = 200;
    bool finished_ = false;
    bool headers_written_ = false;
    bool response_sent_ = false;
    bool auto_finish_ = true;
    unsigned allowed_methods_ = 0;
    unsigned method_bit_ = 0;
    std::size_t received_ = 0;
    std::optional<std::size_t> max_body_size_;
    std::vector<std::string> path_args_;
    std::map<std::string, std::string, std::less<>> path_kwargs_;
    // What few requests use (the current user, the locale, UI modules, gzip), made on first
    // use: every handler is smaller without it, an open WebSocket's included.
    std::unique_ptr<Internals> internals_;
    // Outgoing cookies and XSRF state, made on first use. A shared_ptr so that the state's type
    // stays in src/cookies.cpp.
    std::shared_ptr<CookieState> cookie_state_;
};

}  // namespace typhoon::web

#endif
