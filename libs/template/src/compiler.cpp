// The compiler: from a parsed file, with what it extends and includes, to a Program.
#include "program.hpp"

#include <typhoon/template/loader.hpp>

#include "format.hpp"
#include "parser.hpp"
#include "python.hpp"

#include <typhoon/core/detail/strings.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace typhoon::templates::detail {

namespace {

/// How an output statement of expression `e` may be written directly (set on `s`).
void classify_output(const Expr& e, Stmt& s) {
    switch (e.kind) {
        case Expr::Kind::constant:
        case Expr::Kind::name:
        case Expr::Kind::attribute:
        case Expr::Kind::subscript:
        case Expr::Kind::ternary:
            s.direct = Stmt::Direct::text;
            return;
        case Expr::Kind::binary: {
            if (e.op != BinaryOp::mod || e.children[0].kind != Expr::Kind::constant ||
                !e.children[0].constant.is(Value::Kind::string))
                return;
            // One "%f" or "%.Nf" directive (N up to 3, what fixed_into() writes) and no other '%'.
            const std::string_view format = e.children[0].constant.as_string();
            const std::size_t percent = format.find('%');
            if (percent == std::string_view::npos) return;
            std::size_t i = percent + 1;
            int precision = 6;
            if (i < format.size() && format[i] == '.') {
                precision = 0;
                for (++i;
                     i < format.size() && format[i] >= '0' && format[i] <= '9' && precision < 100;
                     ++i)
                    precision = precision * 10 + (format[i] - '0');
            }
            if (i >= format.size() || format[i] != 'f' || precision > 3 ||
                format.find('%', i) != std::string_view::npos)
                return;
            s.direct = Stmt::Direct::percent;
            s.precision = static_cast<std::uint8_t>(precision);
            s.prefix = format.substr(0, percent);
            s.suffix = format.substr(i + 1);
            return;
        }
        case Expr::Kind::method_call:
            if (e.name == "join" && e.children.size() == 2 && e.keywords.empty() &&
                e.children[0].kind == Expr::Kind::constant &&
                e.children[0].constant.is(Value::Kind::string))
                s.direct = Stmt::Direct::join;
            return;
        default:
            return;
    }
}

class Compiler {
public:
    Compiler(const TemplateImpl& self) : self_(self) {}

    Program compile() {
        std::vector<const TemplateImpl*> ancestors;
        collect_ancestors(self_, ancestors);
        std::reverse(ancestors.begin(), ancestors.end());
        for (const TemplateImpl* ancestor : ancestors)
            find_named_blocks(ancestor->file.body, *ancestor);
        Program program;
        current_ = ancestors.front();
        generate(ancestors.front()->file.body, program.body);
        resolve(program);
        return program;
    }

private:
    Template load(std::string_view name, const std::string& parent, int line,
                  const std::string& where) {
        if (!self_.loader)
            throw ParseError(std::string("{% ") + (where == "extends" ? "extends" : "include") +
                                 " %} block found, but no template loader",
                             parent, line);
        try {
            Template t = self_.loader->load(name, parent);
            keep_.push_back(t);
            return t;
        } catch (const TemplateNotFound& e) {
            // Quoted as Python's repr quotes it: a name may hold a line break or a control byte.
            std::string message = "cannot load template ";
            escape::detail::append_python_repr(message, e.name());
            throw ParseError(message + ": not found", parent, line);
        } catch (const ParseError&) {
            throw;  // it names its own template and line
        } catch (const Error& e) {
            // A cycle of extends/includes ends at the depth guard, which knows no line: name
            // the directive that went one template too deep.
            throw ParseError(e.what(), parent, line);
        }
    }

    void collect_ancestors(const TemplateImpl& t, std::vector<const TemplateImpl*>& out) {
        out.push_back(&t);
        for (const Chunk& chunk : t.file.body) {
            if (chunk.kind != Chunk::Kind::extends) continue;
            const Template parent = load(chunk.text, t.name, chunk.line, "extends");
            collect_ancestors(TemplateImpl::of(parent), out);
        }
    }

    void find_named_blocks(const std::vector<Chunk>& chunks, const TemplateImpl& owner) {
        for (const Chunk& chunk : chunks) {
            switch (chunk.kind) {
                case Chunk::Kind::block:
                    named_blocks_[chunk.text] = {&chunk, &owner};
                    find_named_blocks(chunk.body, owner);
                    break;
                case Chunk::Kind::apply:
                    find_named_blocks(chunk.body, owner);
                    break;
                case Chunk::Kind::control:
                    for (const Clause& clause : chunk.clauses)
                        find_named_blocks(clause.body, owner);
                    break;
                case Chunk::Kind::include: {
                    const Template included =
                        load(chunk.text, chunk.source_name, chunk.line, "include");
                    find_named_blocks(TemplateImpl::of(included).file.body,
                                      TemplateImpl::of(included));
                    break;
                }
                default:
                    break;
            }
        }
    }

    Stmt located(Stmt::Kind kind, int line, std::string source) {
        Stmt s;
        s.kind = kind;
        s.line = line;
        s.file = current_->name;
        s.source = std::move(source);
        return s;
    }

    void generate(const std::vector<Chunk>& chunks, std::vector<Stmt>& out) {
        for (const Chunk& chunk : chunks)
            generate(chunk, out);
    }

    void generate(const Chunk& chunk, std::vector<Stmt>& out) {
        switch (chunk.kind) {
            case Chunk::Kind::text:
                if (!out.empty() && out.back().kind == Stmt::Kind::text)
                    out.back().text += chunk.text;
                else {
                    Stmt s = located(Stmt::Kind::text, chunk.line, {});
                    s.text = chunk.text;
                    out.push_back(std::move(s));
                }
                return;
            case Chunk::Kind::expression: {
                Stmt s = located(Stmt::Kind::output, chunk.line, chunk.text);
                s.expr = chunk.expr;
                s.raw = chunk.raw;
                classify_output(s.expr, s);
                if (!chunk.raw && !current_->autoescape.empty()) {
                    s.has_escape = true;
                    try {
                        s.escape = parse_expression(current_->autoescape);
                    } catch (const SyntaxError& e) {
                        throw ParseError("invalid syntax in autoescape: " + e.message,
                                         current_->name, chunk.line);
                    }
                }
                out.push_back(std::move(s));
                return;
            }
            case Chunk::Kind::module: {
                Stmt s = located(Stmt::Kind::module, chunk.line, chunk.text);
                s.expr = chunk.expr;
                s.text = chunk.expr.children[0].name;
                out.push_back(std::move(s));
                return;
            }
            case Chunk::Kind::assign: {
                Stmt s = located(Stmt::Kind::assign, chunk.line, chunk.text);
                s.expr = chunk.expr;
                s.target = chunk.target;
                s.augmented = chunk.augmented;
                s.op = chunk.op;
                out.push_back(std::move(s));
                return;
            }
            case Chunk::Kind::break_:
            case Chunk::Kind::continue_:
                if (loop_depth_ == 0)
                    throw ParseError(
                        std::string("'") +
                            (chunk.kind == Chunk::Kind::break_ ? "break" : "continue") +
                            "' outside loop",
                        current_->name, chunk.line);
                out.push_back(located(
                    chunk.kind == Chunk::Kind::break_ ? Stmt::Kind::break_ : Stmt::Kind::continue_,
                    chunk.line, {}));
                return;
            case Chunk::Kind::extends:
                throw ParseError(
                    "{% extends %} is only allowed at the top level of a template that is not "
                    "included",
                    current_->name, chunk.line);
            case Chunk::Kind::include: {
                const Template included =
                    load(chunk.text, chunk.source_name, chunk.line, "include");
                if (++include_depth_ > 64)
                    throw ParseError("{% include %} nested too deeply (a cycle?)", current_->name,
                                     chunk.line);
                const TemplateImpl* saved = current_;
                current_ = &TemplateImpl::of(included);
                generate(current_->file.body, out);
                current_ = saved;
                --include_depth_;
                return;
            }
            case Chunk::Kind::block: {
                const auto& [block, owner] = named_blocks_.at(chunk.text);
                const TemplateImpl* saved = current_;
                current_ = owner;
                generate(block->body, out);
                current_ = saved;
                return;
            }
            case Chunk::Kind::apply: {
                Stmt s = located(Stmt::Kind::apply, chunk.line, chunk.text);
                s.expr = chunk.expr;
                const int saved_loops = loop_depth_;
                loop_depth_ = 0;
                generate(chunk.body, s.body);
                loop_depth_ = saved_loops;
                out.push_back(std::move(s));
                return;
            }
            case Chunk::Kind::control:
                generate_control(chunk, out);
                return;
            case Chunk::Kind::intermediate:
                return;
        }
    }

    void generate_control(const Chunk& chunk, std::vector<Stmt>& out) {
        const auto& clauses = chunk.clauses;
        const Clause& head = clauses.front();
        if (head.op == "if") {
            Stmt s = located(Stmt::Kind::if_, head.line, head.source);
            for (const Clause& clause : clauses) {
                if (clause.op == "else") {
                    generate(clause.body, s.orelse);
                } else {
                    Branch branch{clause.expr, {}};
                    generate(clause.body, branch.body);
                    s.branches.push_back(std::move(branch));
                }
            }
            out.push_back(std::move(s));
            return;
        }
        if (head.op == "for" || head.op == "while") {
            Stmt s = located(head.op == "for" ? Stmt::Kind::for_ : Stmt::Kind::while_, head.line,
                             head.source);
            s.expr = head.expr;
            s.target = head.target;
            ++loop_depth_;
            generate(head.body, s.body);
            --loop_depth_;
            if (clauses.size() > 1) generate(clauses[1].body, s.orelse);
            out.push_back(std::move(s));
            return;
        }
        Stmt s = located(Stmt::Kind::try_, head.line, head.source);
        generate(head.body, s.body);
        for (std::size_t i = 1; i < clauses.size(); ++i) {
            const Clause& clause = clauses[i];
            if (clause.op == "except") {
                Handler handler{clause.exceptions, {}};
                generate(clause.body, handler.body);
                s.handlers.push_back(std::move(handler));
            } else if (clause.op == "else") {
                generate(clause.body, s.orelse);
            } else {
                generate(clause.body, s.finally_body);
            }
        }
        out.push_back(std::move(s));
    }

    // ---- scopes: Python decides at compile time which names are local to a function ----

    struct Scope {
        std::map<std::string, std::uint32_t, std::less<>> locals;
        Scope* parent = nullptr;
    };

    static void declare(const Target& target, Scope& scope) {
        std::vector<std::string> names;
        target_names(target, names);
        for (auto& n : names)
            scope.locals.emplace(n, static_cast<std::uint32_t>(scope.locals.size()));
    }

    static void collect(const std::vector<Stmt>& stmts, Scope& scope) {
        for (const Stmt& s : stmts) {
            if (s.kind == Stmt::Kind::assign || s.kind == Stmt::Kind::for_)
                declare(s.target, scope);
            if (s.kind == Stmt::Kind::apply) continue;  // a nested function has its own locals
            collect(s.body, scope);
            collect(s.orelse, scope);
            collect(s.finally_body, scope);
            for (const auto& b : s.branches)
                collect(b.body, scope);
            for (const auto& h : s.handlers)
                collect(h.body, scope);
        }
    }

    Ref lookup(const std::string& name, const Scope& scope) {
        std::uint16_t depth = 0;
        for (const Scope* s = &scope; s; s = s->parent, ++depth) {
            if (const auto it = s->locals.find(name); it != s->locals.end())
                return {depth == 0 ? Ref::Scope::local : Ref::Scope::enclosing, depth, it->second};
        }
        const auto it = std::find(program_->globals.begin(), program_->globals.end(), name);
        if (it != program_->globals.end())
            return {Ref::Scope::global, 0,
                    static_cast<std::uint32_t>(it - program_->globals.begin())};
        program_->globals.push_back(name);
        return {Ref::Scope::global, 0, static_cast<std::uint32_t>(program_->globals.size() - 1)};
    }

    void resolve_target(Target& target, const Scope& scope) {
        if (!target.is_tuple) {
            target.ref = lookup(target.name, scope);
            return;
        }
        for (auto& t : target.elements)
            resolve_target(t, scope);
    }

    void resolve_expr(Expr& e, Scope& scope) {
        if (e.kind == Expr::Kind::name) {
            e.ref = lookup(e.name, scope);
            return;
        }
        if (e.kind == Expr::Kind::comprehension) {
            resolve_expr(e.children[1], scope);  // the first iterable is evaluated outside
            Scope inner;
            inner.parent = &scope;
            declare(e.target, inner);
            resolve_target(e.target, inner);
            resolve_expr(e.children[0], inner);
            for (std::size_t i = 2; i < e.children.size(); ++i)
                resolve_expr(e.children[i], inner);
            e.frame_size = static_cast<std::uint32_t>(inner.locals.size());
            return;
        }
        for (auto& c : e.children)
            resolve_expr(c, scope);
    }

    void resolve_block(std::vector<Stmt>& stmts, Scope& scope) {
        for (Stmt& s : stmts) {
            resolve_expr(s.expr, scope);
            if (s.has_escape) resolve_expr(s.escape, scope);
            if (s.kind == Stmt::Kind::assign || s.kind == Stmt::Kind::for_)
                resolve_target(s.target, scope);
            for (auto& b : s.branches) {
                resolve_expr(b.condition, scope);
                resolve_block(b.body, scope);
            }
            if (s.kind == Stmt::Kind::apply) {
                Scope inner;
                inner.parent = &scope;
                collect(s.body, inner);
                resolve_block(s.body, inner);
                s.frame_size = static_cast<std::uint32_t>(inner.locals.size());
                continue;
            }
            resolve_block(s.body, scope);
            resolve_block(s.orelse, scope);
            resolve_block(s.finally_body, scope);
            for (auto& h : s.handlers)
                resolve_block(h.body, scope);
        }
    }

    void resolve(Program& program) {
        program_ = &program;
        Scope top;
        collect(program.body, top);
        resolve_block(program.body, top);
        program.frame_size = static_cast<std::uint32_t>(top.locals.size());
    }

    const TemplateImpl& self_;
    const TemplateImpl* current_ = nullptr;
    Program* program_ = nullptr;
    std::map<std::string, std::pair<const Chunk*, const TemplateImpl*>, std::less<>> named_blocks_;
    std::vector<Template> keep_;
    int loop_depth_ = 0;
    int include_depth_ = 0;
};

}  // namespace

Program compile(const TemplateImpl& self) {
    return Compiler(self).compile();
}

}  // namespace typhoon::templates::detail
