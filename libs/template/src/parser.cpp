#include "parser.hpp"

#include <typhoon/template/errors.hpp>

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/utf8.hpp>

#include <set>

namespace typhoon::templates::detail {

bool valid_whitespace_mode(std::string_view mode) {
    return mode == "all" || mode == "single" || mode == "oneline";
}

namespace {

// ---- whitespace (tornado.template.filter_whitespace) ----

bool space_at(std::string_view s, std::size_t pos, std::size_t& length) {
    const auto lead = static_cast<unsigned char>(s[pos]);
    if (lead < 0x80) {
        length = 1;
        return escape::is_unicode_space(lead);
    }
    length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    length = std::min(length, s.size() - pos);
    char32_t cp = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i)
        cp = (cp << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
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
                while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t'))
                    ++i;
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
            if (newline)
                out.push_back('\n');
            else
                out.append(squeezed, start, pos - start);
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
        while (pos < text.size() && space_at(text, pos, length))
            pos += length;
        out.push_back(' ');
    }
    return out;
}

const std::set<std::string, std::less<>> exception_names = {
    "Exception", "ArithmeticError",   "AttributeError", "IndexError",
    "KeyError",  "LookupError",       "NameError",      "OverflowError",
    "TypeError", "UnboundLocalError", "ValueError",     "ZeroDivisionError",
};

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
    [[noreturn]] void fail(std::string message) const {
        throw ParseError(std::move(message), name, line);
    }

    std::string name;
    std::string whitespace;
    int line = 1;
    int depth = 0;  // blocks open around the one being read

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

void add_text(std::vector<Chunk>& body, std::string_view value, const Reader& reader) {
    // Tornado's crude heuristic: a chunk that holds <pre> keeps its whitespace.
    std::string text = value.find("<pre>") == std::string_view::npos
                           ? filter_whitespace(reader.whitespace, value)
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
    std::string_view rest = escape::detail::strip_unicode(suffix);
    if (rest.empty()) return names;
    if (rest.find(" as ") != std::string_view::npos)
        throw ParseError("`except ... as name` is not supported in Typhoon templates", reader.name,
                         line);
    if (rest.front() == '(' && rest.back() == ')') rest = rest.substr(1, rest.size() - 2);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view name = escape::detail::strip_unicode(rest.substr(0, comma));
        if (!name.empty()) {
            if (!exception_names.contains(name))
                throw ParseError("unknown exception class in except: " + std::string(name),
                                 reader.name, line);
            names.emplace_back(name);
        }
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return names;
}

/// Splits a control block's body at its intermediate tags and checks their order, as Python's
/// compiler would for the code Tornado generates.
std::vector<Clause> make_clauses(const Reader& reader, std::string op, std::string_view suffix,
                                 int line, std::vector<Chunk> body) {
    std::vector<Clause> clauses;
    Clause first;
    first.op = op;
    first.line = line;
    first.source = op + (suffix.empty() ? "" : " " + std::string(suffix));
    if (op == "if" || op == "while") {
        first.expr = syntax(reader, line, [&] { return parse_expression(suffix); });
    } else if (op == "for") {
        syntax(reader, line, [&] {
            parse_for(suffix, first.target, first.expr);
            return 0;
        });
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
        auto fail = [&] {
            throw ParseError("invalid syntax: '" + next + "' cannot follow '" + previous + "'",
                             reader.name, chunk.line);
        };
        if (previous == "finally" || (previous == "else" && !(op == "try" && next == "finally")))
            fail();
        if (op == "try") {
            if (next == "else" && previous == "try") fail();
            if (previous == "except" && clauses.back().exceptions.empty() && next == "except")
                fail();
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
                if (!in_block.empty())
                    reader.fail("Missing {% end %} block for " + std::string(in_block));
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
            const std::string contents(escape::detail::strip_unicode(reader.consume(end)));
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
        const std::string contents(escape::detail::strip_unicode(reader.consume(end)));
        reader.consume(2);
        if (contents.empty()) reader.fail("Empty block tag ({% %})");

        const auto space = contents.find(' ');
        const std::string op = contents.substr(0, space);
        const std::string suffix(
            space == std::string::npos
                ? std::string_view{}
                : escape::detail::strip_unicode(std::string_view(contents).substr(space + 1)));

        if (op == "else" || op == "elif" || op == "except" || op == "finally") {
            const char* parents = op == "elif"   ? "{'if'}"
                                  : op == "else" ? "{'if', 'for', 'while', 'try'}"
                                                 : "{'try'}";
            if (in_block.empty()) reader.fail(op + " outside " + parents + " block");
            const bool allowed = op == "elif"   ? in_block == "if"
                                 : op == "else" ? (in_block == "if" || in_block == "for" ||
                                                   in_block == "while" || in_block == "try")
                                                : in_block == "try";
            if (!allowed)
                reader.fail(op + " block cannot be attached to " + std::string(in_block) +
                            " block");
            Chunk chunk;
            chunk.kind = Chunk::Kind::intermediate;
            chunk.line = line;
            chunk.text = op;
            chunk.source_name = contents;
            if (op == "elif")
                chunk.expr = syntax(reader, line, [&] { return parse_expression(suffix); });
            else if (op == "except")
                chunk.exceptions = parse_except(reader, line, suffix);
            else if (!suffix.empty())
                throw ParseError("invalid syntax: unexpected text after '" + op + "'", reader.name,
                                 line);
            body.push_back(std::move(chunk));
            continue;
        }
        if (op == "end") {
            if (in_block.empty()) reader.fail("Extra {% end %} block");
            return body;
        }
        if (op == "comment") continue;
        if (op == "autoescape") {
            if (!suffix.empty() && suffix != "None")
                syntax(reader, line, [&] { return parse_expression(suffix); });
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
            while (!path.empty() && path.front() == '"')
                path.remove_prefix(1);
            while (!path.empty() && path.back() == '"')
                path.remove_suffix(1);
            while (!path.empty() && path.front() == '\'')
                path.remove_prefix(1);
            while (!path.empty() && path.back() == '\'')
                path.remove_suffix(1);
            if (path.empty()) reader.fail(op + " missing file path");
            chunk.kind = op == "extends" ? Chunk::Kind::extends : Chunk::Kind::include;
            chunk.text = path;
            chunk.source_name = reader.name;
        } else if (op == "set") {
            if (suffix.empty()) reader.fail("set missing statement");
            chunk.kind = Chunk::Kind::assign;
            chunk.text = suffix;
            syntax(reader, line, [&] {
                parse_assignment(suffix, chunk.target, chunk.augmented, chunk.op, chunk.expr);
                return 0;
            });
        } else if (op == "raw") {
            chunk.kind = Chunk::Kind::expression;
            chunk.raw = true;
            chunk.text = suffix;
            chunk.expr = syntax(reader, line, [&] { return parse_expression(suffix); });
        } else if (op == "module") {
            chunk.kind = Chunk::Kind::module;
            chunk.text = suffix;
            chunk.expr = syntax(reader, line, [&] { return parse_expression(suffix); });
            if (chunk.expr.kind != Expr::Kind::call ||
                chunk.expr.children[0].kind != Expr::Kind::name)
                throw ParseError(
                    "invalid syntax: {% module %} takes a call such as Template(\"x.html\")",
                    reader.name, line);
        } else if (op == "apply" || op == "block" || op == "try" || op == "if" || op == "for" ||
                   op == "while") {
            const bool loop = op == "for" || op == "while" ? true : op == "apply" ? false : in_loop;
            // Python stops at 100 levels of indentation, so Tornado at about as many nested
            // blocks; each is a level of recursion here and when the template runs.
            if (reader.depth >= 100)
                reader.fail("too many levels of nested blocks (over 100, as in Tornado)");
            ++reader.depth;
            std::vector<Chunk> inner = parse(reader, file, op, loop);
            --reader.depth;
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
            if (!suffix.empty())
                throw ParseError("invalid syntax: unexpected text after '" + op + "'", reader.name,
                                 line);
            chunk.kind = op == "break" ? Chunk::Kind::break_ : Chunk::Kind::continue_;
        } else {
            std::string quoted;
            append_repr(quoted, Value::string_view(op));
            reader.fail("unknown operator: " + quoted);
        }
        body.push_back(std::move(chunk));
    }
}

}  // namespace

std::vector<Chunk> parse_template(const std::string& name, std::string_view source,
                                  std::string whitespace, File& file) {
    Reader reader(name, source, std::move(whitespace));
    return parse(reader, file, {}, false);
}

}  // namespace typhoon::templates::detail
