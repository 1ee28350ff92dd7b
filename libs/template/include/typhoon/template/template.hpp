#ifndef TYPHOON_TEMPLATE_TEMPLATE_HPP
#define TYPHOON_TEMPLATE_TEMPLATE_HPP

#include <typhoon/template/errors.hpp>
#include <typhoon/template/namespace.hpp>

#include <boost/json/object.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

/// Tornado's template language (tornado.template), evaluated over JSON values.
namespace typhoon::templates {

class BaseLoader;

namespace detail {
struct TemplateImpl;
}

/// The keyword arguments of tornado.template.Template.
struct TemplateOptions {
    /// Used in error messages, and to pick the default whitespace mode.
    std::string name = "<string>";
    /// Resolves `{% extends %}` and `{% include %}`; it must outlive the template.
    BaseLoader* loader = nullptr;
    /** Name of the function that escapes `{{ }}` output; "" turns escaping off (Tornado's None).
        Unset: the loader's setting, or "xhtml_escape". */
    std::optional<std::string> autoescape{};
    /** "all", "single" or "oneline". Unset: the loader's setting, else "single" for names ending
        in ".html" or ".js" and "all" for others, as Tornado does. */
    std::optional<std::string> whitespace{};
};

/** A parsed template (tornado.template.Template).

        Template t("<html>{{ myvalue }}</html>");
        t.generate({{"myvalue", "XXX"}});  // "<html>XXX</html>"

    The source is parsed once, with its parents and included templates, into a tree; generate()
    only walks it. Expressions are a Python subset evaluated over JSON values (the guide's
    chapter on templates lists it). A Template is a cheap handle: copies share the parsed tree,
    and it is safe to call generate() from several threads at once. */
class Template {
public:
    /** Parses `source` (UTF-8).
        @throws ParseError naming the template and line of a syntax error (also one found in a
        parent or included template), or of an include/extends the loader cannot find. */
    explicit Template(std::string_view source, TemplateOptions options = {});

    ///@{
    /** Renders the template with `args` as its names, in front of `names` (and the loader's
        namespace, then the built-ins).
        @throws TemplateError naming the template, line and expression that failed. */
    std::string generate(const boost::json::object& args = {}) const;
    std::string generate(const boost::json::object& args, const Namespace& names) const;
    ///@}

    /// TemplateOptions::name: the name given, or the loader's resolved path.
    const std::string& name() const noexcept;
    /// The escaping function after the template's own `{% autoescape %}`; "" for none.
    const std::string& autoescape() const noexcept;

private:
    friend struct detail::TemplateImpl;
    explicit Template(std::shared_ptr<const detail::TemplateImpl> impl);
    std::shared_ptr<const detail::TemplateImpl> impl_;
};

}  // namespace typhoon::templates

#endif
