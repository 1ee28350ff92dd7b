#ifndef TYPHOON_WEB_UI_MODULE_HPP
#define TYPHOON_WEB_UI_MODULE_HPP

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace typhoon::web {

class RequestHandler;

/** A reusable piece of a page (tornado.web.UIModule), called from a template as
    `{% module Entry(entry, show_comments=True) %}`. One instance per handler and module name
    lives for the request, so the resources it declares are added to the page once, however many
    times it renders.

    render() receives the call's positional and keyword arguments. The other members declare
    resources that RequestHandler::render() places in the page: files and inline code go before
    `</head>` (CSS, html_head) and before `</body>` (JavaScript, html_body). */
class UIModule {
public:
    /// Made by the UIModuleFactory the first time a page of `handler` calls the module.
    explicit UIModule(RequestHandler& handler) : handler_(&handler) {}
    virtual ~UIModule() = default;

    /** The HTML the `{% module %}` call is replaced by, not escaped. `args` and `kwargs` are the
        call's positional and `name=value` arguments. Throw to fail the render (the template
        names the line). */
    virtual std::string render(const boost::json::array& args,
                               const boost::json::object& kwargs) = 0;

    /// JavaScript code, put in a `<script>` before `</body>`; empty for none.
    virtual std::string embedded_javascript() { return {}; }
    /// Paths relative to static_path, or absolute URLs.
    virtual std::vector<std::string> javascript_files() { return {}; }
    /// CSS rules, put in a `<style>` before `</head>`; empty for none.
    virtual std::string embedded_css() { return {}; }
    /// Style sheets, linked before `</head>`: paths relative to static_path, or absolute URLs.
    virtual std::vector<std::string> css_files() { return {}; }
    /// HTML put before `</head>`, as it is.
    virtual std::string html_head() { return {}; }
    /// HTML put before `</body>`, as it is.
    virtual std::string html_body() { return {}; }

    /// The handler whose page is rendering (Tornado's `self.handler`); also its request, locale,
    /// current_user.
    RequestHandler& handler() const noexcept { return *handler_; }
    /// Renders template `name` with the handler's template namespace.
    std::string render_string(const std::string& name, const boost::json::object& args = {});

private:
    RequestHandler* handler_;
};

/// Makes a module for one handler.
using UIModuleFactory = std::function<std::unique_ptr<UIModule>(RequestHandler&)>;

/// The factory of module class `M` (for Settings::ui_modules).
template <class M>
UIModuleFactory ui_module() {
    return [](RequestHandler& handler) -> std::unique_ptr<UIModule> {
        return std::make_unique<M>(handler);
    };
}

/** `{% module Template("path.html", name=value, ...) %}`: renders another template with the
    keyword arguments as its names (tornado.web.TemplateModule). Registered under "Template". */
class TemplateModule final : public UIModule {
public:
    /// Made per handler, as every module is.
    using UIModule::UIModule;
    std::string render(const boost::json::array& args, const boost::json::object& kwargs) override;
};

/** A function templates call with the handler first (Tornado's `ui_methods`):
    `{{ shout("hi") }}` calls it with the request's handler and `["hi"]`. */
using UIMethod = std::function<boost::json::value(
    RequestHandler& handler, const boost::json::array& args, const boost::json::object& kwargs)>;

}  // namespace typhoon::web

#endif
