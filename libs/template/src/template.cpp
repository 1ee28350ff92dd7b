#include <typhoon/template/template.hpp>

#include <typhoon/template/loader.hpp>

#include "format.hpp"
#include "parser.hpp"
#include "python.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/detail/xhtml_escape.hpp>
#include <typhoon/core/utf8.hpp>

#include <array>
#include <atomic>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <set>

namespace typhoon::templates {

// ---- errors ----

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

// ---- Namespace ----

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

bool exception_matches(std::string_view handler, std::string_view raised) {
    if (handler == raised || handler == "Exception") return true;
    if (handler == "LookupError") return raised == "KeyError" || raised == "IndexError";
    if (handler == "ArithmeticError")
        return raised == "ZeroDivisionError" || raised == "OverflowError";
    if (handler == "NameError") return raised == "UnboundLocalError";
    return false;
}

// ---- the compiled program ----

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

struct Program {
    std::vector<Stmt> body;
    std::uint32_t frame_size = 0;
    std::vector<std::string> globals;
};

}  // namespace

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

namespace {

thread_local int construction_depth = 0;

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

// ---- rendering ----

/** The rendered page: a std::string used as a raw buffer, written through a cursor so that short
    pieces cost a few moves instead of a std::string::append each. finish() trims it. */
class Out {
public:
    explicit Out(std::string& buffer) : buffer_(buffer) {
        buffer_.resize(std::max<std::size_t>(buffer_.capacity(), 64));
        cursor_ = buffer_.data();
        end_ = cursor_ + buffer_.size();
    }
    Out(const Out&) = delete;
    Out& operator=(const Out&) = delete;

    /// At least `n` writable bytes at the cursor.
    [[gnu::always_inline]] char* room(std::size_t n) {
        if (static_cast<std::size_t>(end_ - cursor_) < n) grow(n);
        return cursor_;
    }
    void advance_to(char* p) noexcept { cursor_ = p; }

    [[gnu::always_inline]] void write(std::string_view text) {
        const std::size_t n = text.size();
        char* p = room(n);
        const char* s = text.data();
        if (n >= 8 && n <= 16) {  // two overlapping 8-byte moves
            std::uint64_t a, b;
            std::memcpy(&a, s, 8);
            std::memcpy(&b, s + n - 8, 8);
            std::memcpy(p, &a, 8);
            std::memcpy(p + n - 8, &b, 8);
        } else if (n >= 4 && n < 8) {
            std::uint32_t a, b;
            std::memcpy(&a, s, 4);
            std::memcpy(&b, s + n - 4, 4);
            std::memcpy(p, &a, 4);
            std::memcpy(p + n - 4, &b, 4);
        } else if (n > 0 && n < 4) {
            p[0] = s[0];
            p[n / 2] = s[n / 2];
            p[n - 1] = s[n - 1];
        } else if (n > 16) {
            std::memcpy(p, s, n);
        }
        cursor_ = p + n;
    }
    [[gnu::always_inline]] void write_escaped(std::string_view text) {
        if (text.empty()) return;
        cursor_ = escape::detail::xhtml_escape_into(
            room(escape::detail::xhtml_escape_room(text.size())), text);
    }
    [[gnu::always_inline]] void write(std::string_view text, bool xhtml) {
        if (xhtml)
            write_escaped(text);
        else
            write(text);
    }
    std::size_t size() const noexcept { return static_cast<std::size_t>(cursor_ - buffer_.data()); }
    /// Trims the buffer to what was written.
    void finish() { buffer_.resize(size()); }

private:
    [[gnu::noinline]] void grow(std::size_t n) {
        const std::size_t used = size();
        buffer_.resize(std::max(buffer_.size() * 2, used + n + 64));
        cursor_ = buffer_.data() + used;
        end_ = buffer_.data() + buffer_.size();
    }

    std::string& buffer_;
    char* cursor_;
    char* end_;
};

enum class Flow : std::uint8_t { normal, break_, continue_ };

class Renderer {
public:
    Renderer(const Program& program, const Namespace* names, const Namespace* loader_names)
        : names_(names), loader_names_(loader_names) {
        (void)program;
    }

    const Namespace* names_;
    const Namespace* loader_names_;
    Globals globals{};
    mutable std::string scratch_{};

    Flow exec(const std::vector<Stmt>& stmts, Frame& frame, Out& out) {
        for (const Stmt& s : stmts) {
            if (s.kind == Stmt::Kind::text) {
                out.write(s.text);
                continue;
            }
            Flow flow = Flow::normal;
            try {
                flow = exec(s, frame, out);
            } catch (Fault& fault) {
                if (!fault.located) {
                    fault.located = true;
                    fault.filename = s.file;
                    fault.line = s.line;
                    fault.expression = s.source;
                }
                throw;
            }
            if (flow != Flow::normal) return flow;
        }
        return Flow::normal;
    }

private:
    Flow exec(const Stmt& s, Frame& frame, Out& out) {
        switch (s.kind) {
            case Stmt::Kind::text:
                out.write(s.text);
                return Flow::normal;
            case Stmt::Kind::output: {
                // Most of a page is names, keys, choices, joins and number formats written with
                // xhtml_escape (or raw): those go straight into the output, without Values.
                bool xhtml = false;
                if (s.has_escape) {
                    const Value* escape = peek(s.escape, frame, globals);
                    xhtml = escape && is_xhtml_escape(*escape);
                }
                if (s.direct != Stmt::Direct::none && (xhtml || !s.has_escape) &&
                    direct_output(s, frame, out, xhtml))
                    return Flow::normal;
                scratch_.clear();
                if (s.expr.kind == Expr::Kind::binary && s.expr.op == BinaryOp::mod &&
                    s.expr.children[0].kind == Expr::Kind::constant &&
                    s.expr.children[0].constant.is(Value::Kind::string)) {
                    // {{ "..." % x }}: format into a reused buffer instead of a new string.
                    const Value operand = evaluate(s.expr.children[1], frame, globals);
                    printf_format_to(scratch_, s.expr.children[0].constant.as_string(), operand);
                } else {
                    const Value v = evaluate(s.expr, frame, globals);
                    append_str(scratch_, v);
                }
                if (!s.has_escape) {
                    out.write(scratch_);
                    return Flow::normal;
                }
                if (xhtml) {
                    out.write_escaped(scratch_);
                    return Flow::normal;
                }
                std::string escaped;
                if (const Value* escape = peek(s.escape, frame, globals))
                    append_escaped(escaped, *escape, scratch_);
                else
                    append_escaped(escaped, evaluate(s.escape, frame, globals), scratch_);
                out.write(escaped);
                return Flow::normal;
            }
            case Stmt::Kind::module: {
                const Namespace::Entry* entry = names_ ? names_->find_module(s.text) : nullptr;
                if (!entry && loader_names_) entry = loader_names_->find_module(s.text);
                if (!entry)
                    raise("NameError", "no UI module named '" + s.text +
                                           "' (modules come from the web application)");
                std::vector<Value> args;
                std::vector<Keyword> kwargs;
                const std::size_t positional_end = s.expr.children.size() - s.expr.keywords.size();
                for (std::size_t i = 1; i < positional_end; ++i)
                    args.push_back(evaluate(s.expr.children[i], frame, globals));
                for (std::size_t k = 0; k < s.expr.keywords.size(); ++k)
                    kwargs.push_back(
                        {s.expr.keywords[k],
                         evaluate(s.expr.children[positional_end + k], frame, globals)});
                const Callable callable{Builtin::user, entry->name, &entry->function};
                std::string text;
                append_str(text, call(Value::function(&callable), args, kwargs));
                out.write(text);
                return Flow::normal;
            }
            case Stmt::Kind::assign: {
                Value v = evaluate(s.expr, frame, globals);
                if (s.augmented)
                    v = binary(s.op, load(s.target.ref, s.target.name, frame, globals), v);
                assign(s.target, v, frame);
                return Flow::normal;
            }
            case Stmt::Kind::if_:
                for (const Branch& b : s.branches)
                    if (truthy(evaluate(b.condition, frame, globals)))
                        return exec(b.body, frame, out);
                return exec(s.orelse, frame, out);
            case Stmt::Kind::for_: {
                const Value iterable = evaluate(s.expr, frame, globals);
                if (iterable
                        .is_sequence()) {  // no copy of the items: the iterable keeps them alive
                    const bool simple =
                        !s.target.is_tuple && s.target.ref.scope == Ref::Scope::local;
                    for (std::size_t i = 0; i < iterable.size(); ++i) {
                        if (simple)
                            frame.slots[s.target.ref.index] = iterable.at(i);
                        else
                            assign(s.target, iterable.at(i), frame);
                        if (exec(s.body, frame, out) == Flow::break_) return Flow::normal;
                    }
                    return exec(s.orelse, frame, out);
                }
                const List items = iterate(iterable);
                for (const Value& item : items) {
                    assign(s.target, item, frame);
                    if (exec(s.body, frame, out) == Flow::break_) return Flow::normal;
                }
                return exec(s.orelse, frame, out);
            }
            case Stmt::Kind::while_: {
                std::size_t iterations = 0;
                while (truthy(evaluate(s.expr, frame, globals))) {
                    if (++iterations > 100'000'000)
                        raise("RuntimeError", "while loop ran too long");
                    if (exec(s.body, frame, out) == Flow::break_) return Flow::normal;
                }
                return exec(s.orelse, frame, out);
            }
            case Stmt::Kind::try_:
                return exec_try(s, frame, out);
            case Stmt::Kind::break_:
                return Flow::break_;
            case Stmt::Kind::continue_:
                return Flow::continue_;
            case Stmt::Kind::apply: {
                Frame inner{std::vector<Value>(s.frame_size, Value::unbound()), &frame};
                std::string buffer;
                {
                    Out body_out(buffer);
                    exec(s.body, inner, body_out);
                    body_out.finish();
                }
                const Value method = evaluate(s.expr, frame, globals);
                const Value body = Value::string(std::move(buffer));
                const Value result = call(method, Args(&body, 1), {});
                if (!result.is(Value::Kind::string))
                    raise("TypeError",
                          std::string("Expected bytes, unicode, or None; got <class '") +
                              type_name(result) + "'>");
                out.write(result.as_string());
                return Flow::normal;
            }
        }
        return Flow::normal;
    }

    // ---- direct output: expressions rendered without building Values ----
    // Each helper only reads (names, keys, constants), so when one gives up (returns false or
    // nullptr) the general path evaluates the expression again and raises the right error.

    /// The JSON value a chain `name.key["key"]...` reads from dict arguments; nullptr for other
    /// expressions and missing keys.
    const boost::json::value* json_chain(const Expr& e, Frame& frame) const noexcept {
        std::string_view key;
        if (e.kind == Expr::Kind::attribute)
            key = e.name;
        else if (e.kind == Expr::Kind::subscript && e.children[1].kind == Expr::Kind::constant &&
                 e.children[1].constant.is(Value::Kind::string))
            key = e.children[1].constant.as_string();
        else
            return nullptr;
        const Expr& base = e.children[0];
        if (base.kind == Expr::Kind::name) {
            const Value* object = peek(base, frame, globals);
            if (!object || !object->is(Value::Kind::dict)) return nullptr;
            return find_key(object->as_dict(), key, e.key_hint);
        }
        const boost::json::value* object = json_chain(base, frame);
        if (!object || !object->is_object()) return nullptr;
        return find_key(object->get_object(), key, e.key_hint);
    }

    /// Python's truth of `e`: 1 or 0, or -1 when it takes the general path.
    int direct_truth(const Expr& e, Frame& frame) const noexcept {
        if (e.kind == Expr::Kind::name) {
            const Value* v = peek(e, frame, globals);
            return v ? truthy(*v) : -1;
        }
        if (e.kind == Expr::Kind::not_) {
            const int t = direct_truth(e.children[0], frame);
            return t < 0 ? t : !t;
        }
        const boost::json::value* j = json_chain(e, frame);
        if (!j) return -1;
        switch (j->kind()) {
            case boost::json::kind::null:
                return 0;
            case boost::json::kind::bool_:
                return j->get_bool();
            case boost::json::kind::int64:
                return j->get_int64() != 0;
            case boost::json::kind::uint64:  // beyond int64 Value::json raises OverflowError
                return j->get_uint64() >
                               static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                           ? -1
                           : j->get_uint64() != 0;
            case boost::json::kind::double_:
                return j->get_double() != 0.0;
            case boost::json::kind::string:
                return !j->get_string().empty();
            case boost::json::kind::array:
                return !j->get_array().empty();
            case boost::json::kind::object:
                return !j->get_object().empty();
        }
        return -1;
    }

    /// str(`e`) when it is a string, an int or a bool read directly; false otherwise.
    bool direct_text(const Expr& e, Frame& frame, std::array<char, 24>& buffer,
                     std::string_view& text) const noexcept {
        auto integer = [&](std::int64_t i) {
            const auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), i);
            text = std::string_view(buffer.data(), static_cast<std::size_t>(r.ptr - buffer.data()));
            return true;
        };
        // Tests, most frequent kinds first.
        if (e.kind == Expr::Kind::attribute || e.kind == Expr::Kind::subscript) {
            const boost::json::value* j = json_chain(e, frame);
            if (!j) return false;
            if (j->is_string()) {
                text = std::string_view(j->get_string().data(), j->get_string().size());
                return true;
            }
            if (j->is_int64()) return integer(j->get_int64());
            if (j->is_bool()) {
                text = j->get_bool() ? "True" : "False";
                return true;
            }
            return false;
        }
        if (e.kind == Expr::Kind::name) {
            const Value* v = peek(e, frame, globals);
            if (!v) return false;
            if (v->is(Value::Kind::string)) {
                text = v->as_string();
                return true;
            }
            if (v->is(Value::Kind::integer)) return integer(v->as_int());
            if (v->is(Value::Kind::boolean)) {
                text = v->as_int() ? "True" : "False";
                return true;
            }
            return false;
        }
        if (e.kind == Expr::Kind::ternary) {
            const int t = direct_truth(e.children[0], frame);
            if (t < 0) return false;
            return direct_text(e.children[t ? 1 : 2], frame, buffer, text);
        }
        if (e.kind == Expr::Kind::constant && e.constant.is(Value::Kind::string)) {
            text = e.constant.as_string();
            return true;
        }
        return false;
    }

    /// A number read directly by `e`, for "%f" formats.
    bool direct_number(const Expr& e, Frame& frame, double& number) const noexcept {
        if (e.kind == Expr::Kind::name) {
            const Value* v = peek(e, frame, globals);
            if (!v || !(v->is(Value::Kind::floating) || v->is(Value::Kind::integer))) return false;
            number = v->as_float();
            return true;
        }
        const boost::json::value* j = json_chain(e, frame);
        if (!j) return false;
        if (j->is_double())
            number = j->get_double();
        else if (j->is_int64())
            number = static_cast<double>(j->get_int64());
        else
            return false;
        return true;
    }

    /// Writes `e` (escaped when `xhtml`) when it is one of the shapes above, `"..%.Nf.." % number`
    /// or `"sep".join(list of strings)`; false, with nothing written, otherwise.
    bool direct_output(const Stmt& s, Frame& frame, Out& out, bool xhtml) const {
        const Expr& e = s.expr;
        if (s.direct == Stmt::Direct::text) {
            std::array<char, 24> buffer;
            std::string_view text;
            if (!direct_text(e, frame, buffer, text)) return false;
            out.write(text, xhtml && text.data() != buffer.data());  // digits need no escaping
            return true;
        }
        if (s.direct == Stmt::Direct::percent) {
            double number = 0;
            if (!direct_number(e.children[1], frame, number)) return false;
            std::array<char, 32> digits;
            const char* digits_end = fixed_into(digits.data(), number, s.precision);
            if (!digits_end) return false;
            out.write(s.prefix, xhtml);
            // digits, '.' and '-' need no escaping
            out.write(std::string_view(digits.data(),
                                       static_cast<std::size_t>(digits_end - digits.data())));
            out.write(s.suffix, xhtml);
            return true;
        }
        if (s.direct == Stmt::Direct::join) {
            const boost::json::array* items = nullptr;
            if (e.children[1].kind == Expr::Kind::name) {
                if (const Value* v = peek(e.children[1], frame, globals)) items = v->json_array();
            } else if (const boost::json::value* j = json_chain(e.children[1], frame)) {
                items = j->if_array();
            }
            if (!items) return false;
            for (const boost::json::value& item : *items)
                if (!item.is_string()) return false;
            // xhtml_escape works character by character: escaping the pieces is escaping
            // the joined string.
            const std::string_view separator = e.children[0].constant.as_string();
            bool first = true;
            for (const boost::json::value& item : *items) {
                if (!first) out.write(separator, xhtml);
                first = false;
                out.write(std::string_view(item.get_string().data(), item.get_string().size()),
                          xhtml);
            }
            return true;
        }
        return false;
    }

    Flow exec_try(const Stmt& s, Frame& frame, Out& out) {
        Flow result = Flow::normal;
        std::exception_ptr pending;
        try {
            bool raised = false;
            try {
                result = exec(s.body, frame, out);
            } catch (const Fault& fault) {
                const Handler* handler = nullptr;
                for (const Handler& h : s.handlers) {
                    if (h.types.empty() ||
                        std::any_of(h.types.begin(), h.types.end(), [&](const std::string& t) {
                            return exception_matches(t, fault.type);
                        })) {
                        handler = &h;
                        break;
                    }
                }
                if (!handler) throw;
                raised = true;
                result = exec(handler->body, frame, out);
            }
            if (!raised && result == Flow::normal) result = exec(s.orelse, frame, out);
        } catch (...) {
            if (s.finally_body.empty()) throw;
            pending = std::current_exception();
        }
        if (!s.finally_body.empty()) {
            const Flow f = exec(s.finally_body, frame, out);
            if (f != Flow::normal) return f;
        }
        if (pending) std::rethrow_exception(pending);
        return result;
    }
};

std::string default_whitespace(std::string_view name) {
    auto ends_with = [&](std::string_view suffix) {
        return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
    };
    return ends_with(".html") || ends_with(".js") ? "single" : "all";
}

}  // namespace
}  // namespace detail

// ---- Template ----

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
    impl->program = Compiler(*impl).compile();
    impl_ = std::move(impl);
}

std::string Template::generate(const boost::json::object& args) const {
    static const Namespace empty;
    return generate(args, empty);
}

std::string Template::generate(const boost::json::object& args, const Namespace& names) const {
    using namespace detail;
    const Program& program = impl_->program;
    const Namespace* loader_names = impl_->loader ? &impl_->loader->options().names : nullptr;
    Renderer renderer(program, &names, loader_names);

    std::vector<Value> globals;
    std::vector<Callable> callables;
    std::string out;
    out.reserve(impl_->size_hint.load(std::memory_order_relaxed));
    try {
        globals.reserve(program.globals.size());
        callables.reserve(program.globals.size());
        for (const std::string& name : program.globals) {
            if (const auto* found = args.if_contains(name)) {
                globals.push_back(Value::json(*found));
                continue;
            }
            const Namespace::Entry* entry = names.find(name);
            if (!entry && loader_names) entry = loader_names->find(name);
            if (entry) {
                if (entry->function) {
                    callables.push_back({Builtin::user, entry->name, &entry->function});
                    globals.push_back(Value::function(&callables.back()));
                } else {
                    globals.push_back(Value::json(entry->value));
                }
                continue;
            }
            if (const Callable* builtin = find_builtin(name))
                globals.push_back(Value::function(builtin));
            else
                globals.push_back(Value::unbound());
        }
        renderer.globals = {&globals, &program.globals};
        Frame frame{std::vector<Value>(program.frame_size, Value::unbound()), nullptr};
        Out writer(out);
        renderer.exec(program.body, frame, writer);
        writer.finish();
    } catch (const Fault& fault) {
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
