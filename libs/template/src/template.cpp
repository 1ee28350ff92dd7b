#include <typhoon/template/template.hpp>

#include <typhoon/template/loader.hpp>

#include "expression.hpp"

#include <typhoon/core/utf8.hpp>

#include <atomic>
#include <map>
#include <set>

namespace typhoon::templates {

// ---- errors ----

ParseError::ParseError(std::string message, std::string filename, int lineno)
    : Error(message + " at " + filename + ":" + std::to_string(lineno)),
      message_(std::move(message)), filename_(std::move(filename)), lineno_(lineno) {}

TemplateError::TemplateError(std::string type, std::string message, std::string filename, int lineno,
                             std::string expression)
    : Error(filename + ":" + std::to_string(lineno) + ": " + type + ": " + message +
            (expression.empty() ? "" : " (in `" + expression + "`)")),
      type_(std::move(type)), message_(std::move(message)), filename_(std::move(filename)), lineno_(lineno),
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

// ---- whitespace (tornado.template.filter_whitespace) ----

bool valid_whitespace_mode(std::string_view mode) { return mode == "all" || mode == "single" || mode == "oneline"; }

bool space_at(std::string_view s, std::size_t pos, std::size_t& length) {
    const auto lead = static_cast<unsigned char>(s[pos]);
    if (lead < 0x80) {
        length = 1;
        return escape::is_unicode_space(lead);
    }
    length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    length = std::min(length, s.size() - pos);
    char32_t cp = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
    return escape::is_unicode_space(cp);
}

std::string filter_whitespace(std::string_view mode, std::string_view text) {
    if (mode == "all") return std::string(text);
    std::string out;
    out.reserve(text.size());
    if (mode == "single") {
        // Runs of spaces and tabs become one space; then every run of whitespace that holds a
        // newline becomes that one newline. (Python's \s is Unicode whitespace.)
        std::string squeezed;
        squeezed.reserve(text.size());
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == ' ' || text[i] == '\t') {
                while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) ++i;
                squeezed.push_back(' ');
            } else {
                squeezed.push_back(text[i]);
            }
        }
        for (std::size_t pos = 0; pos < squeezed.size();) {
            std::size_t length = 1;
            if (!space_at(squeezed, pos, length)) {
                out.append(squeezed, pos, length);
                pos += length;
                continue;
            }
            const std::size_t start = pos;
            bool newline = false;
            while (pos < squeezed.size() && space_at(squeezed, pos, length)) {
                newline = newline || squeezed[pos] == '\n';
                pos += length;
            }
            if (newline) out.push_back('\n');
            else out.append(squeezed, start, pos - start);
        }
        return out;
    }
    for (std::size_t pos = 0; pos < text.size();) {  // oneline
        std::size_t length = 1;
        if (!space_at(text, pos, length)) {
            out.append(text, pos, length);
            pos += length;
            continue;
        }
        while (pos < text.size() && space_at(text, pos, length)) pos += length;
        out.push_back(' ');
    }
    return out;
}

std::string_view py_strip(std::string_view s) {
    std::size_t begin = 0, end = s.size(), length = 1;
    while (begin < end && space_at(s, begin, length)) begin += length;
    while (end > begin) {
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
        if (!space_at(s, start, length)) break;
        end = start;
    }
    return s.substr(begin, end - begin);
}

// ---- the parsed file (tornado.template._parse) ----

struct Chunk;

struct Clause {
    std::string op;
    int line = 0;
    std::string source;
    Expr expr;
    Target target;
    std::vector<std::string> exceptions;
    std::vector<Chunk> body;
};

struct Chunk {
    enum class Kind : std::uint8_t { text, expression, module, extends, include, assign, break_, continue_, block, apply, control, intermediate };
    Kind kind = Kind::text;
    int line = 0;
    std::string text;         ///< text; expression source; extends/include/block name; intermediate operator
    std::string source_name;  ///< include: the template that holds it
    bool raw = false;
    bool augmented = false;
    BinaryOp op = BinaryOp::add;
    Expr expr;
    Target target;
    std::vector<std::string> exceptions;
    std::vector<Chunk> body;
    std::vector<Clause> clauses;
};

struct File {
    std::string name;
    std::string autoescape;
    std::vector<Chunk> body;
};

const std::set<std::string, std::less<>> exception_names = {
    "Exception", "ArithmeticError", "AttributeError", "IndexError", "KeyError", "LookupError", "NameError",
    "OverflowError", "TypeError", "UnboundLocalError", "ValueError", "ZeroDivisionError",
};

bool exception_matches(std::string_view handler, std::string_view raised) {
    if (handler == raised || handler == "Exception") return true;
    if (handler == "LookupError") return raised == "KeyError" || raised == "IndexError";
    if (handler == "ArithmeticError") return raised == "ZeroDivisionError" || raised == "OverflowError";
    if (handler == "NameError") return raised == "UnboundLocalError";
    return false;
}

class Reader {
public:
    Reader(std::string template_name, std::string_view text, std::string mode)
        : name(std::move(template_name)), whitespace(std::move(mode)), text_(text) {}

    std::size_t find(std::string_view needle, std::size_t start = 0) const {
        const auto index = text_.find(needle, pos_ + start);
        return index == std::string_view::npos ? index : index - pos_;
    }
    std::string_view consume(std::size_t count) {
        count = std::min(count, remaining());
        const std::string_view s = text_.substr(pos_, count);
        for (char c : s)
            if (c == '\n') ++line;
        pos_ += count;
        return s;
    }
    std::string_view consume_all() { return consume(remaining()); }
    std::size_t remaining() const { return text_.size() - pos_; }
    char at(std::size_t i) const { return text_[pos_ + i]; }
    [[noreturn]] void fail(std::string message) const { throw ParseError(std::move(message), name, line); }

    std::string name;
    std::string whitespace;
    int line = 1;

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

void add_text(std::vector<Chunk>& body, std::string_view value, const Reader& reader) {
    // Tornado's crude heuristic: a chunk that holds <pre> keeps its whitespace.
    std::string text = value.find("<pre>") == std::string_view::npos ? filter_whitespace(reader.whitespace, value)
                                                                     : std::string(value);
    if (text.empty()) return;
    Chunk chunk;
    chunk.kind = Chunk::Kind::text;
    chunk.line = reader.line;
    chunk.text = std::move(text);
    body.push_back(std::move(chunk));
}

template <typename F>
auto syntax(const Reader& reader, int line, F&& parse) {
    try {
        return parse();
    } catch (const SyntaxError& e) {
        throw ParseError("invalid syntax: " + e.message, reader.name, line);
    }
}

std::vector<std::string> parse_except(const Reader& reader, int line, std::string_view suffix) {
    std::vector<std::string> names;
    std::string_view rest = py_strip(suffix);
    if (rest.empty()) return names;
    if (rest.find(" as ") != std::string_view::npos)
        throw ParseError("`except ... as name` is not supported in Typhoon templates", reader.name, line);
    if (rest.front() == '(' && rest.back() == ')') rest = rest.substr(1, rest.size() - 2);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view name = py_strip(rest.substr(0, comma));
        if (!name.empty()) {
            if (!exception_names.contains(name))
                throw ParseError("unknown exception class in except: " + std::string(name), reader.name, line);
            names.emplace_back(name);
        }
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return names;
}

/// Splits a control block's body at its intermediate tags and checks their order, as Python's
/// compiler would for the code Tornado generates.
std::vector<Clause> make_clauses(const Reader& reader, std::string op, std::string_view suffix, int line,
                                 std::vector<Chunk> body) {
    std::vector<Clause> clauses;
    Clause first;
    first.op = op;
    first.line = line;
    first.source = op + (suffix.empty() ? "" : " " + std::string(suffix));
    if (op == "if" || op == "while") {
        first.expr = syntax(reader, line, [&] { return parse_expression(suffix); });
    } else if (op == "for") {
        syntax(reader, line, [&] { parse_for(suffix, first.target, first.expr); return 0; });
    } else if (!suffix.empty()) {
        throw ParseError("invalid syntax: unexpected text after '" + op + "'", reader.name, line);
    }
    clauses.push_back(std::move(first));
    for (auto& chunk : body) {
        if (chunk.kind != Chunk::Kind::intermediate) {
            clauses.back().body.push_back(std::move(chunk));
            continue;
        }
        const std::string& previous = clauses.back().op;
        const std::string& next = chunk.text;
        auto fail = [&] { throw ParseError("invalid syntax: '" + next + "' cannot follow '" + previous + "'", reader.name, chunk.line); };
        if (previous == "finally" || (previous == "else" && !(op == "try" && next == "finally"))) fail();
        if (op == "try") {
            if (next == "else" && previous == "try") fail();
            if (previous == "except" && clauses.back().exceptions.empty() && next == "except") fail();
        }
        Clause clause;
        clause.op = next;
        clause.line = chunk.line;
        clause.source = chunk.source_name;
        clause.expr = std::move(chunk.expr);
        clause.exceptions = std::move(chunk.exceptions);
        clauses.push_back(std::move(clause));
    }
    if (op == "try" && clauses.size() == 1)
        throw ParseError("invalid syntax: try block needs an except or finally", reader.name, line);
    return clauses;
}

std::vector<Chunk> parse(Reader& reader, File& file, std::string_view in_block, bool in_loop) {
    std::vector<Chunk> body;
    while (true) {
        // Find the next directive.
        std::size_t curly = 0;
        while (true) {
            curly = reader.find("{", curly);
            if (curly == std::string_view::npos || curly + 1 == reader.remaining()) {
                if (!in_block.empty()) reader.fail("Missing {% end %} block for " + std::string(in_block));
                add_text(body, reader.consume_all(), reader);
                return body;
            }
            const char next = reader.at(curly + 1);
            if (next != '{' && next != '%' && next != '#') {
                ++curly;
                continue;
            }
            // With more than two curlies in a row, the innermost ones open the tag.
            if (curly + 2 < reader.remaining() && next == '{' && reader.at(curly + 2) == '{') {
                ++curly;
                continue;
            }
            break;
        }
        if (curly > 0) {
            const std::string_view text = reader.consume(curly);
            add_text(body, text, reader);
        }
        const std::string start_brace(reader.consume(2));
        const int line = reader.line;

        // {{! and {%! write the braces themselves.
        if (reader.remaining() && reader.at(0) == '!') {
            reader.consume(1);
            add_text(body, start_brace, reader);
            continue;
        }
        if (start_brace == "{#") {
            const auto end = reader.find("#}");
            if (end == std::string_view::npos) reader.fail("Missing end comment #}");
            reader.consume(end);
            reader.consume(2);
            continue;
        }
        if (start_brace == "{{") {
            const auto end = reader.find("}}");
            if (end == std::string_view::npos) reader.fail("Missing end expression }}");
            const std::string contents(py_strip(reader.consume(end)));
            reader.consume(2);
            if (contents.empty()) reader.fail("Empty expression");
            Chunk chunk;
            chunk.kind = Chunk::Kind::expression;
            chunk.line = line;
            chunk.text = contents;
            chunk.expr = syntax(reader, line, [&] { return parse_expression(contents); });
            body.push_back(std::move(chunk));
            continue;
        }
        const auto end = reader.find("%}");
        if (end == std::string_view::npos) reader.fail("Missing end block %}");
        const std::string contents(py_strip(reader.consume(end)));
        reader.consume(2);
        if (contents.empty()) reader.fail("Empty block tag ({% %})");

        const auto space = contents.find(' ');
        const std::string op = contents.substr(0, space);
        const std::string suffix(space == std::string::npos ? std::string_view{} : py_strip(std::string_view(contents).substr(space + 1)));

        if (op == "else" || op == "elif" || op == "except" || op == "finally") {
            const char* parents = op == "elif" ? "{'if'}" : op == "else" ? "{'if', 'for', 'while', 'try'}" : "{'try'}";
            if (in_block.empty()) reader.fail(op + " outside " + parents + " block");
            const bool allowed = op == "elif" ? in_block == "if"
                                 : op == "else" ? (in_block == "if" || in_block == "for" || in_block == "while" || in_block == "try")
                                                : in_block == "try";
            if (!allowed) reader.fail(op + " block cannot be attached to " + std::string(in_block) + " block");
            Chunk chunk;
            chunk.kind = Chunk::Kind::intermediate;
            chunk.line = line;
            chunk.text = op;
            chunk.source_name = contents;
            if (op == "elif") chunk.expr = syntax(reader, line, [&] { return parse_expression(suffix); });
            else if (op == "except") chunk.exceptions = parse_except(reader, line, suffix);
            else if (!suffix.empty()) throw ParseError("invalid syntax: unexpected text after '" + op + "'", reader.name, line);
            body.push_back(std::move(chunk));
            continue;
        }
        if (op == "end") {
            if (in_block.empty()) reader.fail("Extra {% end %} block");
            return body;
        }
        if (op == "comment") continue;
        if (op == "autoescape") {
            if (!suffix.empty() && suffix != "None") syntax(reader, line, [&] { return parse_expression(suffix); });
            file.autoescape = suffix == "None" ? "" : suffix;
            continue;
        }
        if (op == "whitespace") {
            if (!valid_whitespace_mode(suffix)) reader.fail("invalid whitespace mode " + suffix);
            reader.whitespace = suffix;
            continue;
        }
        if (op == "import" || op == "from") {
            if (suffix.empty()) reader.fail("import missing statement");
            reader.fail("{% " + op + " %} is not supported in Typhoon templates");
        }
        Chunk chunk;
        chunk.line = line;
        if (op == "extends" || op == "include") {
            std::string_view path = suffix;
            while (!path.empty() && path.front() == '"') path.remove_prefix(1);
            while (!path.empty() && path.back() == '"') path.remove_suffix(1);
            while (!path.empty() && path.front() == '\'') path.remove_prefix(1);
            while (!path.empty() && path.back() == '\'') path.remove_suffix(1);
            if (path.empty()) reader.fail(op + " missing file path");
            chunk.kind = op == "extends" ? Chunk::Kind::extends : Chunk::Kind::include;
            chunk.text = path;
            chunk.source_name = reader.name;
        } else if (op == "set") {
            if (suffix.empty()) reader.fail("set missing statement");
            chunk.kind = Chunk::Kind::assign;
            chunk.text = suffix;
            syntax(reader, line, [&] { parse_assignment(suffix, chunk.target, chunk.augmented, chunk.op, chunk.expr); return 0; });
        } else if (op == "raw") {
            chunk.kind = Chunk::Kind::expression;
            chunk.raw = true;
            chunk.text = suffix;
            chunk.expr = syntax(reader, line, [&] { return parse_expression(suffix); });
        } else if (op == "module") {
            chunk.kind = Chunk::Kind::module;
            chunk.text = suffix;
            chunk.expr = syntax(reader, line, [&] { return parse_expression(suffix); });
            if (chunk.expr.kind != Expr::Kind::call || chunk.expr.children[0].kind != Expr::Kind::name)
                throw ParseError("invalid syntax: {% module %} takes a call such as Template(\"x.html\")", reader.name, line);
        } else if (op == "apply" || op == "block" || op == "try" || op == "if" || op == "for" || op == "while") {
            const bool loop = op == "for" || op == "while" ? true : op == "apply" ? false : in_loop;
            std::vector<Chunk> inner = parse(reader, file, op, loop);
            if (op == "apply") {
                if (suffix.empty()) reader.fail("apply missing method name");
                chunk.kind = Chunk::Kind::apply;
                chunk.text = suffix;
                chunk.expr = syntax(reader, line, [&] { return parse_expression(suffix); });
                chunk.body = std::move(inner);
            } else if (op == "block") {
                if (suffix.empty()) reader.fail("block missing name");
                chunk.kind = Chunk::Kind::block;
                chunk.text = suffix;
                chunk.body = std::move(inner);
            } else {
                chunk.kind = Chunk::Kind::control;
                chunk.text = op;
                chunk.clauses = make_clauses(reader, op, suffix, line, std::move(inner));
            }
        } else if (op == "break" || op == "continue") {
            if (!in_loop) reader.fail(op + " outside {'for', 'while'} block");
            if (!suffix.empty()) throw ParseError("invalid syntax: unexpected text after '" + op + "'", reader.name, line);
            chunk.kind = op == "break" ? Chunk::Kind::break_ : Chunk::Kind::continue_;
        } else {
            std::string quoted;
            append_repr(quoted, Value::string_view(op));
            reader.fail("unknown operator: " + quoted);
        }
        body.push_back(std::move(chunk));
    }
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
    enum class Kind : std::uint8_t { text, output, module, assign, if_, for_, while_, try_, break_, continue_, apply };
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
};

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
    static Template wrap(std::shared_ptr<const TemplateImpl> impl) { return Template(std::move(impl)); }
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
        for (const TemplateImpl* ancestor : ancestors) find_named_blocks(ancestor->file.body, *ancestor);
        Program program;
        current_ = ancestors.front();
        generate(ancestors.front()->file.body, program.body);
        resolve(program);
        return program;
    }

private:
    Template load(std::string_view name, const std::string& parent, int line, const std::string& where) {
        if (!self_.loader)
            throw ParseError(std::string("{% ") + (where == "extends" ? "extends" : "include") +
                                 " %} block found, but no template loader",
                             parent, line);
        try {
            Template t = self_.loader->load(name, parent);
            keep_.push_back(t);
            return t;
        } catch (const TemplateNotFound& e) {
            throw ParseError("cannot load template '" + e.name() + "': not found", parent, line);
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
                case Chunk::Kind::apply: find_named_blocks(chunk.body, owner); break;
                case Chunk::Kind::control:
                    for (const Clause& clause : chunk.clauses) find_named_blocks(clause.body, owner);
                    break;
                case Chunk::Kind::include: {
                    const Template included = load(chunk.text, chunk.source_name, chunk.line, "include");
                    find_named_blocks(TemplateImpl::of(included).file.body, TemplateImpl::of(included));
                    break;
                }
                default: break;
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
        for (const Chunk& chunk : chunks) generate(chunk, out);
    }

    void generate(const Chunk& chunk, std::vector<Stmt>& out) {
        switch (chunk.kind) {
            case Chunk::Kind::text:
                if (!out.empty() && out.back().kind == Stmt::Kind::text) out.back().text += chunk.text;
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
                if (!chunk.raw && !current_->autoescape.empty()) {
                    s.has_escape = true;
                    try {
                        s.escape = parse_expression(current_->autoescape);
                    } catch (const SyntaxError& e) {
                        throw ParseError("invalid syntax in autoescape: " + e.message, current_->name, chunk.line);
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
                    throw ParseError(std::string("'") + (chunk.kind == Chunk::Kind::break_ ? "break" : "continue") + "' outside loop",
                                     current_->name, chunk.line);
                out.push_back(located(chunk.kind == Chunk::Kind::break_ ? Stmt::Kind::break_ : Stmt::Kind::continue_, chunk.line, {}));
                return;
            case Chunk::Kind::extends:
                throw ParseError("{% extends %} is only allowed at the top level of a template that is not included",
                                 current_->name, chunk.line);
            case Chunk::Kind::include: {
                const Template included = load(chunk.text, chunk.source_name, chunk.line, "include");
                if (++include_depth_ > 64) throw ParseError("{% include %} nested too deeply (a cycle?)", current_->name, chunk.line);
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
            case Chunk::Kind::control: generate_control(chunk, out); return;
            case Chunk::Kind::intermediate: return;
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
            Stmt s = located(head.op == "for" ? Stmt::Kind::for_ : Stmt::Kind::while_, head.line, head.source);
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
        for (auto& n : names) scope.locals.emplace(n, static_cast<std::uint32_t>(scope.locals.size()));
    }

    static void collect(const std::vector<Stmt>& stmts, Scope& scope) {
        for (const Stmt& s : stmts) {
            if (s.kind == Stmt::Kind::assign || s.kind == Stmt::Kind::for_) declare(s.target, scope);
            if (s.kind == Stmt::Kind::apply) continue;  // a nested function has its own locals
            collect(s.body, scope);
            collect(s.orelse, scope);
            collect(s.finally_body, scope);
            for (const auto& b : s.branches) collect(b.body, scope);
            for (const auto& h : s.handlers) collect(h.body, scope);
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
            return {Ref::Scope::global, 0, static_cast<std::uint32_t>(it - program_->globals.begin())};
        program_->globals.push_back(name);
        return {Ref::Scope::global, 0, static_cast<std::uint32_t>(program_->globals.size() - 1)};
    }

    void resolve_target(Target& target, const Scope& scope) {
        if (!target.is_tuple) {
            target.ref = lookup(target.name, scope);
            return;
        }
        for (auto& t : target.elements) resolve_target(t, scope);
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
            for (std::size_t i = 2; i < e.children.size(); ++i) resolve_expr(e.children[i], inner);
            e.frame_size = static_cast<std::uint32_t>(inner.locals.size());
            return;
        }
        for (auto& c : e.children) resolve_expr(c, scope);
    }

    void resolve_block(std::vector<Stmt>& stmts, Scope& scope) {
        for (Stmt& s : stmts) {
            resolve_expr(s.expr, scope);
            if (s.has_escape) resolve_expr(s.escape, scope);
            if (s.kind == Stmt::Kind::assign || s.kind == Stmt::Kind::for_) resolve_target(s.target, scope);
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
            for (auto& h : s.handlers) resolve_block(h.body, scope);
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

    Flow exec(const std::vector<Stmt>& stmts, Frame& frame, std::string& out) {
        for (const Stmt& s : stmts) {
            if (s.kind == Stmt::Kind::text) {
                out += s.text;
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
    Flow exec(const Stmt& s, Frame& frame, std::string& out) {
        switch (s.kind) {
            case Stmt::Kind::text: out += s.text; return Flow::normal;
            case Stmt::Kind::output: {
                if (const boost::json::value* j = fast_output(s.expr, frame); j && j->is_string()) {
                    // {{ name.key }} holding a string: no Value, no copy.
                    const std::string_view text(j->get_string().data(), j->get_string().size());
                    if (!s.has_escape) out += text;
                    else if (const Value* escape = peek(s.escape, frame, globals)) append_escaped(out, *escape, text);
                    else append_escaped(out, evaluate(s.escape, frame, globals), text);
                    return Flow::normal;
                }
                const Value v = evaluate(s.expr, frame, globals);
                std::string converted;
                std::string_view text;
                if (v.is(Value::Kind::string)) text = v.as_string();
                else {
                    append_str(converted, v);
                    text = converted;
                }
                if (s.has_escape) {
                    if (const Value* escape = peek(s.escape, frame, globals)) append_escaped(out, *escape, text);
                    else append_escaped(out, evaluate(s.escape, frame, globals), text);
                }
                else out += text;
                return Flow::normal;
            }
            case Stmt::Kind::module: {
                const Namespace::Entry* entry = names_ ? names_->find_module(s.text) : nullptr;
                if (!entry && loader_names_) entry = loader_names_->find_module(s.text);
                if (!entry) raise("NameError", "no UI module named '" + s.text + "' (modules come from the web application)");
                std::vector<Value> args;
                std::vector<Keyword> kwargs;
                const std::size_t positional_end = s.expr.children.size() - s.expr.keywords.size();
                for (std::size_t i = 1; i < positional_end; ++i) args.push_back(evaluate(s.expr.children[i], frame, globals));
                for (std::size_t k = 0; k < s.expr.keywords.size(); ++k)
                    kwargs.push_back({s.expr.keywords[k], evaluate(s.expr.children[positional_end + k], frame, globals)});
                const Callable callable{Builtin::user, entry->name, &entry->function};
                append_str(out, call(Value::function(&callable), args, kwargs));
                return Flow::normal;
            }
            case Stmt::Kind::assign: {
                Value v = evaluate(s.expr, frame, globals);
                if (s.augmented) v = binary(s.op, load(s.target.ref, s.target.name, frame, globals), v);
                assign(s.target, v, frame);
                return Flow::normal;
            }
            case Stmt::Kind::if_:
                for (const Branch& b : s.branches)
                    if (truthy(evaluate(b.condition, frame, globals))) return exec(b.body, frame, out);
                return exec(s.orelse, frame, out);
            case Stmt::Kind::for_: {
                const Value iterable = evaluate(s.expr, frame, globals);
                if (iterable.is_sequence()) {  // no copy of the items: the iterable keeps them alive
                    const bool simple = !s.target.is_tuple && s.target.ref.scope == Ref::Scope::local;
                    for (std::size_t i = 0; i < iterable.size(); ++i) {
                        if (simple) frame.slots[s.target.ref.index] = iterable.at(i);
                        else assign(s.target, iterable.at(i), frame);
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
                    if (++iterations > 100'000'000) raise("RuntimeError", "while loop ran too long");
                    if (exec(s.body, frame, out) == Flow::break_) return Flow::normal;
                }
                return exec(s.orelse, frame, out);
            }
            case Stmt::Kind::try_: return exec_try(s, frame, out);
            case Stmt::Kind::break_: return Flow::break_;
            case Stmt::Kind::continue_: return Flow::continue_;
            case Stmt::Kind::apply: {
                Frame inner{std::vector<Value>(s.frame_size, Value::unbound()), &frame};
                std::string buffer;
                exec(s.body, inner, buffer);
                const Value method = evaluate(s.expr, frame, globals);
                const Value body = Value::string(std::move(buffer));
                const Value result = call(method, Args(&body, 1), {});
                if (!result.is(Value::Kind::string))
                    raise("TypeError", std::string("Expected bytes, unicode, or None; got <class '") + type_name(result) + "'>");
                out += result.as_string();
                return Flow::normal;
            }
        }
        return Flow::normal;
    }

    /// The JSON value `{{ name.key }}` or `{{ name["key"] }}` reads, when it reads one that exists
    /// in a dict argument; nullptr sends the expression down the general path.
    const boost::json::value* fast_output(const Expr& e, Frame& frame) const noexcept {
        std::string_view key;
        if (e.kind == Expr::Kind::attribute) key = e.name;
        else if (e.kind == Expr::Kind::subscript && e.children[1].kind == Expr::Kind::constant &&
                 e.children[1].constant.is(Value::Kind::string))
            key = e.children[1].constant.as_string();
        else return nullptr;
        const Value* object = peek(e.children[0], frame, globals);
        if (!object || !object->is(Value::Kind::dict)) return nullptr;
        return find_key(object->as_dict(), key);
    }

    Flow exec_try(const Stmt& s, Frame& frame, std::string& out) {
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
                        std::any_of(h.types.begin(), h.types.end(), [&](const std::string& t) { return exception_matches(t, fault.type); })) {
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
    if (options.whitespace) whitespace = *options.whitespace;
    else if (options.loader && options.loader->options().whitespace) whitespace = *options.loader->options().whitespace;
    else whitespace = default_whitespace(options.name);
    if (!valid_whitespace_mode(whitespace)) throw ParseError("invalid whitespace mode " + whitespace, options.name, 0);
    if (options.autoescape) impl->autoescape = *options.autoescape;
    else if (options.loader) impl->autoescape = options.loader->options().autoescape;
    else impl->autoescape = "xhtml_escape";
    if (impl->autoescape == "None") impl->autoescape.clear();

    if (!escape::is_valid_utf8(source)) throw ParseError("template is not valid UTF-8", options.name, 1);
    impl->file.name = impl->name;
    impl->file.autoescape = impl->autoescape;
    Reader reader(impl->name, source, whitespace);
    impl->file.body = parse(reader, impl->file, {}, false);
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
        if (const Callable* builtin = find_builtin(name)) globals.push_back(Value::function(builtin));
        else globals.push_back(Value::unbound());
    }
    renderer.globals = {&globals, &program.globals};
    Frame frame{std::vector<Value>(program.frame_size, Value::unbound()), nullptr};
        renderer.exec(program.body, frame, out);
    } catch (const Fault& fault) {
        if (fault.located) throw TemplateError(fault.type, fault.message, fault.filename, fault.line, fault.expression);
        throw TemplateError(fault.type, fault.message, impl_->name, 0, {});
    }
    // The next render reserves what this one wrote, so pages grow their buffer once.
    impl_->size_hint.store(out.size() + out.size() / 8, std::memory_order_relaxed);
    return out;
}

const std::string& Template::name() const noexcept { return impl_->name; }
const std::string& Template::autoescape() const noexcept { return impl_->autoescape; }

}  // namespace typhoon::templates
