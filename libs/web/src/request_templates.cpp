// RequestHandler's templates: the names a template sees, render() with its UI modules' resources.
#include <typhoon/web/request_handler.hpp>

#include <typhoon/web/application.hpp>
#include <typhoon/web/http_error.hpp>
#include <typhoon/web/ui_module.hpp>

#include "handler_internals.hpp"

#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/core/linkify.hpp>
#include <typhoon/template/loader.hpp>

#include <algorithm>
#include <stdexcept>

namespace typhoon::web {

namespace json = boost::json;

// --- templates -----------------------------------------------------------------------------------

std::string RequestHandler::get_template_path() const {
    return settings().template_path;
}

templates::Namespace RequestHandler::get_template_namespace() {
    templates::Namespace names;
    const auto& r = *request_;
    names.add("request", json::object{{"method", r.method},
                                      {"uri", r.uri},
                                      {"path", r.path},
                                      {"query", r.query},
                                      {"version", r.version},
                                      {"remote_ip", r.remote_ip},
                                      {"protocol", r.protocol},
                                      {"host", r.host},
                                      {"host_name", r.host_name}});
    names.add("current_user", current_user());
    const auto& loc = locale();
    names.add("locale",
              json::object{{"code", loc.code()}, {"name", loc.name()}, {"rtl", loc.rtl()}});
    names.add_function("_", [this](const json::array& args, const json::object&) -> json::value {
        const auto text = [&](std::size_t i) { return std::string_view(args.at(i).as_string()); };
        if (args.size() >= 3)
            return json::value(json::string(
                locale().translate(text(0), text(1), args.at(2).to_number<std::int64_t>())));
        return json::value(json::string(locale().translate(text(0))));
    });
    names.add_function(
        "pgettext", [this](const json::array& args, const json::object&) -> json::value {
            const auto text = [&](std::size_t i) {
                return std::string_view(args.at(i).as_string());
            };
            if (args.size() >= 4)
                return json::value(json::string(locale().pgettext(
                    text(0), text(1), text(2), args.at(3).to_number<std::int64_t>())));
            return json::value(json::string(locale().pgettext(text(0), text(1))));
        });
    names.add_function(
        "static_url", [this](const json::array& args, const json::object& kwargs) -> json::value {
            StaticUrlOptions options;
            if (const auto* host = kwargs.if_contains("include_host"))
                options.include_host = host->as_bool();
            if (const auto* version = kwargs.if_contains("include_version"))
                options.include_version = version->as_bool();
            return json::value(json::string(static_url(args.at(0).as_string(), options)));
        });
    names.add_function(
        "reverse_url", [this](const json::array& args, const json::object&) -> json::value {
            std::vector<std::string> rest;
            for (std::size_t i = 1; i < args.size(); ++i)
                rest.push_back(args[i].is_string() ? std::string(args[i].as_string())
                                                   : escape::json_encode(args[i]));
            return json::value(json::string(reverse_url(args.at(0).as_string(), rest)));
        });
    add_xsrf_names(names);
    for (const auto& [name, method] : settings().ui_methods)
        names.add_function(name,
                           [this, &method](const json::array& args, const json::object& kwargs) {
                               return method(*this, args, kwargs);
                           });
    const auto module_call = [this](std::string name) {
        return [this, name = std::move(name)](const json::array& args,
                                              const json::object& kwargs) -> json::value {
            return json::value(json::string(ui_module(name).render(args, kwargs)));
        };
    };
    names.add_module("Template", module_call("Template"));
    names.add_module("linkify", [](const json::array& args, const json::object&) -> json::value {
        return json::value(json::string(escape::linkify(args.at(0).as_string())));
    });
    for (const auto& entry : settings().ui_modules)
        names.add_module(entry.first, module_call(entry.first));
    return names;
}

UIModule& RequestHandler::ui_module(const std::string& name) {
    auto& active = internals().active_modules;
    for (auto& [active_name, module] : active)
        if (active_name == name) return *module;
    std::unique_ptr<UIModule> made;
    if (name == "Template") {
        made = std::make_unique<TemplateModule>(*this);
    } else {
        const auto found = settings().ui_modules.find(name);
        if (found == settings().ui_modules.end()) throw Error("no UI module named " + name);
        made = found->second(*this);
    }
    active.emplace_back(name, std::move(made));
    return *active.back().second;
}

std::string RequestHandler::render_string(std::string_view template_name,
                                          const json::object& args) {
    templates::BaseLoader& loader = settings().template_loader
                                        ? *settings().template_loader
                                        : application_->template_loader(get_template_path());
    return loader.load(template_name).generate(args, get_template_namespace());
}

void RequestHandler::render(std::string_view template_name, const json::object& args) {
    if (finished_) throw std::logic_error("Cannot render() after finish()");
    std::string html = render_string(template_name, args);
    if (internals_) {
        std::vector<std::string> js_files, css_files;
        std::string js_embed, css_embed, heads, bodies;
        const auto add_unique = [](std::vector<std::string>& into, std::vector<std::string> paths) {
            for (auto& path : paths)
                if (std::find(into.begin(), into.end(), path) == into.end())
                    into.push_back(std::move(path));
        };
        bool any_js = false;
        bool any_css = false;
        for (auto& [name, module] : internals_->active_modules) {
            if (auto js = module->embedded_javascript(); !js.empty()) {
                js_embed += (any_js ? "\n" : "") + js;
                any_js = true;
            }
            if (auto css = module->embedded_css(); !css.empty()) {
                css_embed += (any_css ? "\n" : "") + css;
                any_css = true;
            }
            add_unique(js_files, module->javascript_files());
            add_unique(css_files, module->css_files());
            heads += module->html_head();
            bodies += module->html_body();
        }
        const auto url_of = [this](const std::string& path) {
            if (path.starts_with("/") || path.starts_with("http:") || path.starts_with("https:"))
                return path;
            return static_url(path);
        };
        const auto insert_before = [&html](std::string_view tag, const std::string& text,
                                           bool last) {
            const auto at = last ? html.rfind(tag) : html.find(tag);
            if (at != std::string::npos) html.insert(at, text + "\n");
        };
        if (!js_files.empty()) {
            std::string tags;
            for (const auto& path : js_files)
                tags += "<script src=\"" + escape::xhtml_escape(url_of(path)) +
                        "\" type=\"text/javascript\"></script>";
            insert_before("</body>", tags, true);
        }
        if (any_js)
            insert_before("</body>",
                          "<script type=\"text/javascript\">\n//<![CDATA[\n" + js_embed +
                              "\n//]]>\n</script>",
                          true);
        if (!css_files.empty()) {
            std::string tags;
            for (const auto& path : css_files)
                tags += "<link href=\"" + escape::xhtml_escape(url_of(path)) +
                        "\" type=\"text/css\" rel=\"stylesheet\"/>";
            insert_before("</head>", tags, false);
        }
        if (any_css)
            insert_before("</head>", "<style type=\"text/css\">\n" + css_embed + "\n</style>",
                          false);
        if (!heads.empty()) insert_before("</head>", heads, false);
        if (!bodies.empty()) insert_before("</body>", bodies, false);
    }
    finish(html);
}

// --- UI modules ----------------------------------------------------------------------------------

std::string UIModule::render_string(const std::string& name, const json::object& args) {
    return handler_->render_string(name, args);
}

std::string TemplateModule::render(const json::array& args, const json::object& kwargs) {
    return render_string(std::string(args.at(0).as_string()), kwargs);
}

}  // namespace typhoon::web
