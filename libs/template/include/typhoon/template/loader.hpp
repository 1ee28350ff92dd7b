#ifndef TYPHOON_TEMPLATE_LOADER_HPP
#define TYPHOON_TEMPLATE_LOADER_HPP

#include <typhoon/template/namespace.hpp>
#include <typhoon/template/template.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace typhoon::templates {

/// The keyword arguments of tornado.template.Loader: what every template it loads gets.
struct LoaderOptions {
    /// Escaping function for `{{ }}` in every template loaded; "" for none.
    std::string autoescape = "xhtml_escape";
    /// Names added to every template's namespace.
    Namespace names{};
    /// "all", "single" or "oneline" for every template; unset: by file extension.
    std::optional<std::string> whitespace{};
};

/** Loads templates by name and caches them parsed (tornado.template.BaseLoader). Thread-safe. */
class BaseLoader {
public:
    /// An empty cache; nothing is read before load().
    explicit BaseLoader(LoaderOptions options = {});
    virtual ~BaseLoader();
    BaseLoader(const BaseLoader&) = delete;
    BaseLoader& operator=(const BaseLoader&) = delete;

    /** The template `name`, relative to the template `parent_path` when given, parsed on first use.
        @throws TemplateNotFound, ParseError */
    Template load(std::string_view name, std::string_view parent_path = {});
    /// Forgets every parsed template, so that the next load() reads the source again (what
    /// Tornado's debug mode does when a file changes).
    void reset();
    /// Where `name` is, relative to `parent_path` when given.
    virtual std::string resolve_path(std::string_view name, std::string_view parent_path) const = 0;

    /// The options every template of this loader is parsed with.
    const LoaderOptions& options() const noexcept { return options_; }

protected:
    /// The source of the template at resolved path `name`. @throws TemplateNotFound
    virtual std::string read_source(const std::string& name) const = 0;

private:
    LoaderOptions options_;
    std::recursive_mutex mutex_;
    std::map<std::string, Template, std::less<>> templates_;
};

/// Loads templates from files under one directory (tornado.template.Loader).
class Loader final : public BaseLoader {
public:
    /// Templates are files under `root_directory`, made absolute now; it need not exist yet.
    explicit Loader(std::string_view root_directory, LoaderOptions options = {});
    std::string resolve_path(std::string_view name, std::string_view parent_path) const override;
    /// The absolute, normalised root directory.
    const std::string& root() const noexcept { return root_; }

protected:
    std::string read_source(const std::string& name) const override;

private:
    std::string root_;
};

/// Loads templates from an in-memory map of name to source (tornado.template.DictLoader).
class DictLoader final : public BaseLoader {
public:
    /// Template name to source.
    using Sources = std::map<std::string, std::string, std::less<>>;
    /// Serves the sources in `templates`, keyed by the names load() is given.
    explicit DictLoader(Sources templates, LoaderOptions options = {});
    std::string resolve_path(std::string_view name, std::string_view parent_path) const override;

protected:
    std::string read_source(const std::string& name) const override;

private:
    Sources sources_;
};

}  // namespace typhoon::templates

#endif
