#ifndef TYPHOON_TEMPLATE_SRC_PROGRAM_HPP
#define TYPHOON_TEMPLATE_SRC_PROGRAM_HPP

// A template compiled: the statements the compiler (compiler.cpp) makes from the parsed file and
// the renderer (renderer.cpp) runs, and the shared state of a Template.

#include <typhoon/template/template.hpp>

#include "parser.hpp"
#include "python.hpp"

#include <boost/json/object.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace typhoon::templates::detail {

struct Stmt;

struct Branch {
    Expr condition;
    std::vector<Stmt> body;
};

struct Handler {
    std::vector<std::string> types;
    std::vector<Stmt> body;
};

struct Stmt {
    enum class Kind : std::uint8_t {
        text,
        output,
        module,
        assign,
        if_,
        for_,
        while_,
        try_,
        break_,
        continue_,
        apply
    };
    Kind kind = Kind::text;
    bool raw = false;
    bool augmented = false;
    bool has_escape = false;
    BinaryOp op = BinaryOp::add;
    int line = 0;
    std::string file;
    std::string source;
    std::string text;
    Expr expr;
    Expr escape;
    Target target;
    std::vector<Branch> branches;
    std::vector<Stmt> body, orelse, finally_body;
    std::vector<Handler> handlers;
    std::uint32_t frame_size = 0;
    /// output: the shape rendering may write without Values (see Renderer::direct_output).
    enum class Direct : std::uint8_t { none, text, percent, join };
    Direct direct = Direct::none;
    std::uint8_t precision = 6;      ///< percent: "%.<precision>f"
    std::string prefix{}, suffix{};  ///< percent: the format around its one directive
};

struct Program {
    std::vector<Stmt> body;
    std::uint32_t frame_size = 0;
    std::vector<std::string> globals;
};

struct TemplateImpl {
    std::string name;
    std::string autoescape;
    BaseLoader* loader = nullptr;
    File file;
    Program program;
    mutable std::atomic<std::size_t> size_hint{256};

    static const TemplateImpl& of(const Template& t) { return *t.impl_; }
    static Template wrap(std::shared_ptr<const TemplateImpl> impl) {
        return Template(std::move(impl));
    }
};

/** The program of `self`, its file already parsed: ancestors ({% extends %}) and includes loaded
    and inlined, names resolved to frame slots and globals.
    @throws ParseError naming the file and line of a directive whose template cannot be loaded,
    of invalid syntax in a directive, or of includes nested too deeply. */
Program compile(const TemplateImpl& self);

/** Renders `self` with `args` and `names` into `out`.
    @throws Fault for a Python-level error, located at its statement when one is known. */
void render(const TemplateImpl& self, const boost::json::object& args, const Namespace& names,
            std::string& out);

}  // namespace typhoon::templates::detail

#endif
