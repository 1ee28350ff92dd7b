// Template: its errors, the Namespace it renders with, and a template made from its source.
#include <typhoon/template/template.hpp>

#include <typhoon/template/loader.hpp>

#include "program.hpp"

#include <typhoon/core/utf8.hpp>

#include <atomic>

namespace typhoon::templates {

ParseError::ParseError(std::string message, std::string filename, int lineno)
    : Error(message + " at " + filename + ":" + std::to_string(lineno)),
      message_(std::move(message)),
      filename_(std::move(filename)),
      lineno_(lineno) {}

TemplateError::TemplateError(std::string type, std::string message, std::string filename,
                             int lineno, std::string expression)
    : Error(filename + ":" + std::to_string(lineno) + ": " + type + ": " + message +
            (expression.empty() ? "" : " (in `" + expression + "`)")),
      type_(std::move(type)),
      message_(std::move(message)),
      filename_(std::move(filename)),
      lineno_(lineno),
      expression_(std::move(expression)) {}

TemplateNotFound::TemplateNotFound(std::string name)
    : Error("template not found: " + name), name_(std::move(name)) {}

Namespace& Namespace::add(std::string name, boost::json::value value) {
    auto entry = std::make_shared<Entry>(Entry{name, std::move(value), {}});
    entries_[std::move(name)] = std::move(entry);
    return *this;
}

Namespace& Namespace::add_function(std::string name, Function function) {
    auto entry = std::make_shared<Entry>(Entry{name, nullptr, std::move(function)});
    entries_[std::move(name)] = std::move(entry);
    return *this;
}

Namespace& Namespace::add_module(std::string name, Function function) {
    auto entry = std::make_shared<Entry>(Entry{name, nullptr, std::move(function)});
    modules_[std::move(name)] = std::move(entry);
    return *this;
}

const Namespace::Entry* Namespace::find(std::string_view name) const {
    const auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : it->second.get();
}

const Namespace::Entry* Namespace::find_module(std::string_view name) const {
    const auto it = modules_.find(name);
    return it == modules_.end() ? nullptr : it->second.get();
}

namespace detail {
namespace {

thread_local int construction_depth = 0;

std::string default_whitespace(std::string_view name) {
    auto ends_with = [&](std::string_view suffix) {
        return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
    };
    return ends_with(".html") || ends_with(".js") ? "single" : "all";
}

}  // namespace
}  // namespace detail

Template::Template(std::shared_ptr<const detail::TemplateImpl> impl) : impl_(std::move(impl)) {}

Template::Template(std::string_view source, TemplateOptions options) {
    using namespace detail;
    struct DepthGuard {
        DepthGuard() {
            if (++construction_depth > 64) {
                --construction_depth;
                throw Error("templates extend or include each other too deeply (a cycle?)");
            }
        }
        ~DepthGuard() { --construction_depth; }
    } guard;

    auto impl = std::make_shared<TemplateImpl>();
    impl->name = options.name;
    impl->loader = options.loader;
    std::string whitespace;
    if (options.whitespace)
        whitespace = *options.whitespace;
    else if (options.loader && options.loader->options().whitespace)
        whitespace = *options.loader->options().whitespace;
    else
        whitespace = default_whitespace(options.name);
    if (!valid_whitespace_mode(whitespace))
        throw ParseError("invalid whitespace mode " + whitespace, options.name, 0);
    if (options.autoescape)
        impl->autoescape = *options.autoescape;
    else if (options.loader)
        impl->autoescape = options.loader->options().autoescape;
    else
        impl->autoescape = "xhtml_escape";
    if (impl->autoescape == "None") impl->autoescape.clear();

    if (!escape::is_valid_utf8(source))
        throw ParseError("template is not valid UTF-8", options.name, 1);
    impl->file.name = impl->name;
    impl->file.autoescape = impl->autoescape;
    impl->file.body = parse_template(impl->name, source, whitespace, impl->file);
    // {% autoescape %} applies to the whole file, wherever it stands (Tornado sets it on the
    // template while parsing and reads it while generating code).
    impl->autoescape = impl->file.autoescape;
    impl->program = compile(*impl);
    impl_ = std::move(impl);
}

std::string Template::generate(const boost::json::object& args) const {
    static const Namespace empty;
    return generate(args, empty);
}

std::string Template::generate(const boost::json::object& args, const Namespace& names) const {
    std::string out;
    out.reserve(impl_->size_hint.load(std::memory_order_relaxed));
    try {
        detail::render(*impl_, args, names, out);
    } catch (const detail::Fault& fault) {
        if (fault.located)
            throw TemplateError(fault.type, fault.message, fault.filename, fault.line,
                                fault.expression);
        throw TemplateError(fault.type, fault.message, impl_->name, 0, {});
    }
    // The next render reserves what this one wrote, so pages grow their buffer once.
    impl_->size_hint.store(out.size() + out.size() / 8, std::memory_order_relaxed);
    return out;
}

const std::string& Template::name() const noexcept {
    return impl_->name;
}
const std::string& Template::autoescape() const noexcept {
    return impl_->autoescape;
}

}  // namespace typhoon::templates
