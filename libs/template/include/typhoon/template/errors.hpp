#ifndef TYPHOON_TEMPLATE_ERRORS_HPP
#define TYPHOON_TEMPLATE_ERRORS_HPP

#include <typhoon/core/error.hpp>

#include <string>

namespace typhoon::templates {

/** A template that cannot be parsed (tornado.template.ParseError): an unclosed tag, an unknown
    directive, an expression outside the supported Python subset. `what()` is Tornado's text,
    "<message> at <filename>:<lineno>". */
class ParseError : public Error {
public:
    /// `lineno` counts from 1.
    ParseError(std::string message, std::string filename, int lineno);
    ///@{
    /// The parts of what(): what is wrong, and the template name and line where it is.
    const std::string& message() const noexcept { return message_; }
    const std::string& filename() const noexcept { return filename_; }
    int lineno() const noexcept { return lineno_; }
    ///@}

private:
    std::string message_, filename_;
    int lineno_;
};

/** An error while rendering: an unknown name, a bad index, a type error, an exception from a
    registered function. `what()` is "<filename>:<lineno>: <message> (in `<expression>`)", where
    `type()` is the Python exception Tornado would raise ("NameError", "KeyError", ...). */
class TemplateError : public Error {
public:
    /// `type` is the Python exception name; `lineno` counts from 1.
    TemplateError(std::string type, std::string message, std::string filename, int lineno,
                  std::string expression);
    /// The Python exception Tornado would raise here: "NameError", "KeyError", "TypeError"...
    const std::string& type() const noexcept { return type_; }
    ///@{
    /// The parts of what(): what went wrong, the template name and line, and the source text of
    /// the expression being evaluated.
    const std::string& message() const noexcept { return message_; }
    const std::string& filename() const noexcept { return filename_; }
    int lineno() const noexcept { return lineno_; }
    const std::string& expression() const noexcept { return expression_; }
    ///@}

private:
    std::string type_, message_, filename_;
    int lineno_;
    std::string expression_;
};

/// A Loader was asked for a template it does not have (a missing file, or a name missing from a
/// DictLoader's map).
class TemplateNotFound : public Error {
public:
    /// `name` is the resolved path that was asked for; what() is "template not found: <name>".
    explicit TemplateNotFound(std::string name);
    /// The resolved path that was not found.
    const std::string& name() const noexcept { return name_; }

private:
    std::string name_;
};

}  // namespace typhoon::templates

#endif
