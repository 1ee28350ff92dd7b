#ifndef TYPHOON_WEB_SETTINGS_HPP
#define TYPHOON_WEB_SETTINGS_HPP

#include <typhoon/web/cookies.hpp>
#include <typhoon/web/ui_module.hpp>
#include <typhoon/web/url_spec.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace typhoon::templates {
class BaseLoader;
}

namespace typhoon::web {

/** The application's settings (Tornado's `**settings`), with Tornado's names. Options Tornado
    derives from `debug` are std::optional here: unset, they follow `debug`. */
struct Settings {
    /// Development mode: templates and static hashes are re-read, errors show the exception.
    bool debug = false;
    /// Cache parsed templates between requests (default: !debug).
    std::optional<bool> compiled_template_cache{};
    /// Cache static file hashes for static_url() (default: !debug).
    std::optional<bool> static_hash_cache{};
    /// Error pages describe the exception (default: debug).
    std::optional<bool> serve_traceback{};

    /// Directory of the templates render() loads.
    std::string template_path{};
    /// A loader to use instead of a Loader on template_path.
    std::shared_ptr<templates::BaseLoader> template_loader{};
    /// Escaping function for `{{ }}` ("" for none); Tornado's `autoescape` setting.
    std::string autoescape = "xhtml_escape";
    /// "all", "single" or "oneline"; unset: by file extension, as Tornado's template_whitespace.
    std::optional<std::string> template_whitespace{};

    ///@{
    /// Directory of static files, and the URL prefix static_url() puts before their paths.
    std::string static_path{};
    std::string static_url_prefix = "/static/";
    ///@}

    /// Secret that signs cookies: set_signed_cookie() and get_signed_cookie().
    std::string cookie_secret{};
    /// Check XSRF tokens on POST, PUT, PATCH and DELETE.
    bool xsrf_cookies = false;
    /// Where web::authenticated() (Tornado's `@authenticated`) sends users who are not logged in.
    std::string login_url{};
    /// Compress responses with gzip when the client accepts it.
    bool compress_response = false;

    /// Modules callable as `{% module Name(...) %}` (Template and linkify are always there).
    std::map<std::string, UIModuleFactory> ui_modules{};
    /// Functions templates call with the handler first.
    std::map<std::string, UIMethod> ui_methods{};

    /// The handler for paths no route matches (default: a 404 page), as `handler<H>(args...)`;
    /// Tornado's default_handler_class with its default_handler_args.
    HandlerFactory default_handler_class{};
    /// Replaces the access log line of each request.
    std::function<void(const RequestHandler&)> log_function{};

    /// Your own settings, and those of the libraries above web (auth's, websocket's), read as
    /// settings().extra under Tornado's names (Tornado's free-form keys).
    boost::json::object extra{};

    // --- signed cookies and XSRF ----------------------------------------------------------------
    /// Secrets by key version (Tornado's cookie_secret given as a dict). When not empty it is
    /// used instead of cookie_secret: values are signed with the secret of key_version, and
    /// checked with the secret of the key version they carry.
    std::map<int, std::string> cookie_secrets{};
    /// The key version that signs new values; required with cookie_secrets.
    std::optional<int> key_version{};
    /// The format of the XSRF tokens xsrf_token() hands out: 2 (masked, the default) or 1.
    int xsrf_cookie_version = 2;
    /// Attributes of the `_xsrf` cookie (e.g. {.httponly = true, .secure = true}); without
    /// expires_days, the cookie lasts 30 days for a logged-in user, the session otherwise.
    CookieOptions xsrf_cookie_kwargs{};
};

}  // namespace typhoon::web

#endif
