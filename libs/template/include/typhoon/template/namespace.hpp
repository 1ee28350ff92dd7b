#ifndef TYPHOON_TEMPLATE_NAMESPACE_HPP
#define TYPHOON_TEMPLATE_NAMESPACE_HPP

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace typhoon::templates {

/** A function a template may call: `{{ reverse_url("post", 7) }}` calls it with the positional
    arguments in `args` and keyword arguments (`name=value`) in `kwargs`. Throw typhoon::Error (or
    any std::exception) to fail the render; the TemplateError names the template and line. */
using Function = std::function<boost::json::value(const boost::json::array& args,
                                                  const boost::json::object& kwargs)>;

/** Names a template can see besides its arguments: values, functions and UI modules (the
    `namespace` of tornado.template.BaseLoader, and RequestHandler.get_template_namespace()).

        Namespace ns;
        ns.add_function("shout", [](const auto& args, const auto&) {
            return boost::json::value(std::string(args.at(0).as_string()) + "!");
        });
        ns.add("site_name", "Typhoon");

    A template's own arguments hide these names, and these hide the built-ins (`escape`, `len`...).
 */
class Namespace {
public:
    /// One name: a value, or a function when `function` is set.
    struct Entry {
        std::string name;            ///< the name templates use
        boost::json::value value{};  ///< the value, when `function` is empty
        Function function{};         ///< the function, for a name templates call
    };

    /// Makes `name` a value (replacing what it was).
    Namespace& add(std::string name, boost::json::value value);
    /// Makes `name` a function.
    Namespace& add_function(std::string name, Function function);
    /// Makes `{% module name(...) %}` call `function` and write what it returns unescaped: the hook
    /// through which the web library renders its UIModules.
    Namespace& add_module(std::string name, Function function);

    /// The entry for `name`, or nullptr.
    const Entry* find(std::string_view name) const;
    /// The UI module `name` registered by add_module(), or nullptr.
    const Entry* find_module(std::string_view name) const;

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    using Map =
        std::unordered_map<std::string, std::shared_ptr<const Entry>, Hash, std::equal_to<>>;
    Map entries_;
    Map modules_;
};

}  // namespace typhoon::templates

#endif
