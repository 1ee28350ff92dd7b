#include "expression.hpp"

#include <typhoon/core/utf8.hpp>

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace typhoon::templates::detail {

namespace {

struct Token {
    enum class Kind : std::uint8_t { name, number, string, op, end };
    Kind kind = Kind::end;
    std::string text{};  ///< name, operator, or the decoded string
    Value number{};
};

bool is_name_start(unsigned char c) {
    return c == '_' || std::isalpha(c) || c >= 0x80;
}
bool is_name_char(unsigned char c) {
    return c == '_' || std::isalnum(c) || c >= 0x80;
}

[[noreturn]] void syntax_error(std::string message) {
    throw SyntaxError{std::move(message)};
}

class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}

    std::vector<Token> tokens() {
        std::vector<Token> out;
        int depth = 0;
        while (true) {
            skip_space(depth > 0);
            if (pos_ >= text_.size()) break;
            const auto c = static_cast<unsigned char>(text_[pos_]);
            if (c == '#') {  // a Python comment runs to the end of the line
                while (pos_ < text_.size() && text_[pos_] != '\n')
                    ++pos_;
                continue;
            }
            if (is_name_start(c)) {
                const std::size_t start = pos_;
                while (pos_ < text_.size() && is_name_char(static_cast<unsigned char>(text_[pos_])))
                    ++pos_;
                std::string word(text_.substr(start, pos_ - start));
                if (pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"') &&
                    word.size() <= 2) {
                    std::string prefix = word;
                    for (char& ch : prefix)
                        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                    if (prefix == "r" || prefix == "u") {
                        out.push_back(string_token(prefix == "r"));
                        continue;
                    }
                    if (prefix.find('b') != std::string::npos ||
                        prefix.find('f') != std::string::npos)
                        syntax_error(
                            "bytes and f-string literals are not supported in Typhoon templates");
                }
                out.push_back({Token::Kind::name, std::move(word)});
                continue;
            }
            if (std::isdigit(c) || (c == '.' && pos_ + 1 < text_.size() &&
                                    std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))) {
                out.push_back(number_token());
                continue;
            }
            if (c == '\'' || c == '"') {
                out.push_back(string_token(false));
                continue;
            }
            static constexpr const char* operators[] = {
                "**=", "//=", ">>=", "<<=", "**", "//", "<=", ">=", "==", "!=", "<<",
                ">>",  "+=",  "-=",  "*=",  "/=", "%=", "&=", "|=", "^=", "+",  "-",
                "*",   "/",   "%",   "<",   ">",  "(",  ")",  "[",  "]",  "{",  "}",
                ",",   ":",   ".",   "=",   "~",  "&",  "|",  "^",
            };
            bool matched = false;
            for (const char* op : operators) {
                const std::size_t n = std::strlen(op);
                if (text_.substr(pos_, n) == op) {
                    // Python's tokenizer stops at 200 open brackets; the parser and the
                    // evaluator recurse once per level, so the stack needs a bound too.
                    if ((op[0] == '(' || op[0] == '[' || op[0] == '{') && ++depth > 200)
                        syntax_error("too many nested parentheses");
                    if (op[0] == ')' || op[0] == ']' || op[0] == '}') --depth;
                    out.push_back({Token::Kind::op, op});
                    pos_ += n;
                    matched = true;
                    break;
                }
            }
            if (!matched) syntax_error(std::string("invalid character '") + text_[pos_] + "'");
        }
        out.push_back({Token::Kind::end, ""});
        return out;
    }

private:
    void skip_space(bool) {
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
                ++pos_;
            else if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')
                pos_ += 2;
            else
                break;
        }
    }

    Token number_token() {
        const std::size_t start = pos_;
        std::string digits;
        auto take_digits = [&](auto accept) {
            while (pos_ < text_.size() &&
                   (accept(text_[pos_]) ||
                    (text_[pos_] == '_' && pos_ + 1 < text_.size() && accept(text_[pos_ + 1])))) {
                if (text_[pos_] != '_') digits.push_back(text_[pos_]);
                ++pos_;
            }
        };
        auto decimal = [](char c) { return c >= '0' && c <= '9'; };
        Token token{Token::Kind::number, ""};
        if (text_[pos_] == '0' && pos_ + 1 < text_.size() &&
            std::strchr("xXoObB", text_[pos_ + 1])) {
            const char kind =
                static_cast<char>(std::tolower(static_cast<unsigned char>(text_[pos_ + 1])));
            pos_ += 2;
            if (pos_ < text_.size() && text_[pos_] == '_') ++pos_;
            const int base = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
            take_digits([base](char c) {
                const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                              : std::isxdigit(static_cast<unsigned char>(c))
                                  ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                                  : 99;
                return d < base;
            });
            std::uint64_t v = 0;
            auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
            if (digits.empty() || r.ptr != digits.data() + digits.size())
                syntax_error("invalid number literal");
            if (r.ec != std::errc{} || v > 0x7FFFFFFFFFFFFFFFull)
                syntax_error("integer literal too large for Typhoon templates");
            token.number = Value::integer(static_cast<std::int64_t>(v));
        } else {
            take_digits(decimal);
            bool is_float = false;
            if (pos_ < text_.size() && text_[pos_] == '.') {
                is_float = true;
                digits.push_back('.');
                ++pos_;
                take_digits(decimal);
            }
            if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
                std::size_t save = pos_;
                std::string save_digits = digits;
                digits.push_back('e');
                ++pos_;
                if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-'))
                    digits.push_back(text_[pos_++]);
                const std::size_t before = digits.size();
                take_digits(decimal);
                if (digits.size() == before) {
                    pos_ = save;
                    digits = save_digits;
                } else {
                    is_float = true;
                }
            }
            if (pos_ < text_.size() && (text_[pos_] == 'j' || text_[pos_] == 'J'))
                syntax_error("complex numbers are not supported");
            if (is_float) {
                token.number = Value::floating(std::strtod(digits.c_str(), nullptr));
            } else {
                if (digits.size() > 1 && digits[0] == '0' &&
                    digits.find_first_not_of('0') != std::string::npos)
                    syntax_error("leading zeros in decimal integer literals are not permitted");
                std::int64_t v = 0;
                auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
                if (r.ec != std::errc{})
                    syntax_error("integer literal too large for Typhoon templates");
                token.number = Value::integer(v);
            }
        }
        if (pos_ < text_.size() && is_name_char(static_cast<unsigned char>(text_[pos_])))
            syntax_error("invalid decimal literal");
        token.text = std::string(text_.substr(start, pos_ - start));
        return token;
    }

    Token string_token(bool raw) {
        std::string value;
        const char quote = text_[pos_];
        const bool triple = text_.substr(pos_, 3) == std::string(3, quote);
        pos_ += triple ? 3 : 1;
        while (true) {
            if (pos_ >= text_.size()) syntax_error("unterminated string literal");
            const char c = text_[pos_];
            if (c == quote && (!triple || text_.substr(pos_, 3) == std::string(3, quote))) {
                pos_ += triple ? 3 : 1;
                break;
            }
            if (c == '\n' && !triple) syntax_error("unterminated string literal");
            if (c != '\\') {
                value.push_back(c);
                ++pos_;
                continue;
            }
            if (pos_ + 1 >= text_.size()) syntax_error("unterminated string literal");
            const char e = text_[pos_ + 1];
            if (raw) {
                value.push_back('\\');
                value.push_back(e);
                pos_ += 2;
                continue;
            }
            pos_ += 2;
            switch (e) {
                case '\n':
                    break;
                case '\\':
                    value.push_back('\\');
                    break;
                case '\'':
                    value.push_back('\'');
                    break;
                case '"':
                    value.push_back('"');
                    break;
                case 'a':
                    value.push_back('\a');
                    break;
                case 'b':
                    value.push_back('\b');
                    break;
                case 'f':
                    value.push_back('\f');
                    break;
                case 'n':
                    value.push_back('\n');
                    break;
                case 'r':
                    value.push_back('\r');
                    break;
                case 't':
                    value.push_back('\t');
                    break;
                case 'v':
                    value.push_back('\v');
                    break;
                case 'x':
                case 'u':
                case 'U': {
                    const std::size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    std::uint32_t cp = 0;
                    auto r =
                        std::from_chars(text_.data() + pos_,
                                        text_.data() + std::min(text_.size(), pos_ + n), cp, 16);
                    if (r.ptr != text_.data() + pos_ + n)
                        syntax_error("truncated \\" + std::string(1, e) + " escape");
                    if (cp > 0x10FFFF) syntax_error("illegal Unicode character");
                    if (cp >= 0xD800 && cp <= 0xDFFF)
                        syntax_error("surrogates are not supported in Typhoon templates");
                    escape::append_utf8(value, static_cast<char32_t>(cp));
                    pos_ += n;
                    break;
                }
                case 'N':
                    syntax_error("\\N{...} escapes are not supported in Typhoon templates");
                default:
                    if (e >= '0' && e <= '7') {
                        std::uint32_t cp = static_cast<std::uint32_t>(e - '0');
                        for (int k = 0; k < 2 && pos_ < text_.size() && text_[pos_] >= '0' &&
                                        text_[pos_] <= '7';
                             ++k)
                            cp = cp * 8 + static_cast<std::uint32_t>(text_[pos_++] - '0');
                        escape::append_utf8(value, static_cast<char32_t>(cp));
                    } else {
                        value.push_back('\\');
                        value.push_back(e);
                    }
            }
        }
        return {Token::Kind::string, std::move(value)};
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

Expr make(Expr::Kind kind) {
    Expr e;
    e.kind = kind;
    return e;
}

Expr constant(Value v) {
    Expr e;
    e.kind = Expr::Kind::constant;
    e.constant = std::move(v);
    return e;
}

// Each level of a nested expression (brackets, `not`, unary signs, `if`/`else` chains, each link
// of a chain such as `a + b + c` or `a.b()`, which builds a left-deep tree) is one level of
// recursion here, in the evaluator and in the tree's destructor: past a bound, an error rather
// than the end of the stack.
class NestingGuard {
public:
    explicit NestingGuard(int& depth, bool one_level = true) : depth_(depth) {
        if (one_level) deepen();
    }
    void deepen() {
        ++added_;
        if (++depth_ > 400) syntax_error("expression nested too deeply (over 400 levels)");
    }
    ~NestingGuard() { depth_ -= added_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

private:
    int& depth_;
    int added_ = 0;
};

class Parser {
public:
    explicit Parser(std::string_view text) : tokens_(Lexer(text).tokens()) {}

    bool at_end() const { return peek().kind == Token::Kind::end; }
    void expect_end() {
        if (!at_end()) syntax_error("invalid syntax near '" + peek().text + "'");
    }

    /// expression_list: `a` or `a, b` (a tuple).
    Expr expression_list() {
        Expr first = expression();
        if (!is_op(",")) return first;
        Expr tuple = make(Expr::Kind::tuple);
        tuple.children.push_back(std::move(first));
        while (accept_op(",")) {
            if (at_end() || is_op(")") || is_op("=") || is_op("]")) break;
            tuple.children.push_back(expression());
        }
        return tuple;
    }

    Target target_list(bool stop_at_in) {
        Target first = target_atom();
        if (!is_op(",")) return first;
        Target tuple;
        tuple.is_tuple = true;
        tuple.elements.push_back(std::move(first));
        while (accept_op(",")) {
            if (at_end() || (stop_at_in && is_name("in")) || is_op("=")) break;
            tuple.elements.push_back(target_atom());
        }
        return tuple;
    }

    Target target_atom() {
        if (accept_op("(") || accept_op("[")) {
            const std::string close = previous_.text == "(" ? ")" : "]";
            Target t = target_list(false);
            if (!t.is_tuple) {
                Target wrapped;
                wrapped.is_tuple = close == "]";
                if (!wrapped.is_tuple) {
                    expect_op(close);
                    return t;
                }
                wrapped.elements.push_back(std::move(t));
                t = std::move(wrapped);
            }
            expect_op(close);
            return t;
        }
        const Token& token = peek();
        if (token.kind != Token::Kind::name || is_keyword(token.text))
            syntax_error("cannot assign to this expression");
        Target t;
        t.name = next().text;
        return t;
    }

    bool is_name(std::string_view word) const {
        return peek().kind == Token::Kind::name && peek().text == word;
    }
    bool is_op(std::string_view op) const {
        return peek().kind == Token::Kind::op && peek().text == op;
    }
    bool accept_op(std::string_view op) {
        if (!is_op(op)) return false;
        next();
        return true;
    }
    bool accept_name(std::string_view word) {
        if (!is_name(word)) return false;
        next();
        return true;
    }
    void expect_op(std::string_view op) {
        if (!accept_op(op))
            syntax_error("expected '" + std::string(op) + "'" +
                         (at_end() ? "" : " near '" + peek().text + "'"));
    }
    const Token& peek(std::size_t ahead = 0) const {
        return tokens_[std::min(index_ + ahead, tokens_.size() - 1)];
    }
    const Token& next() {
        previous_ = tokens_[index_];
        if (index_ + 1 < tokens_.size()) ++index_;
        return previous_;
    }

    Expr expression() {
        const NestingGuard guard(nesting_);
        if (is_name("lambda")) syntax_error("lambda is not supported in Typhoon templates");
        Expr value = or_test();
        if (!accept_name("if")) return value;
        Expr condition = or_test();
        if (!accept_name("else")) syntax_error("expected 'else' after 'if' expression");
        Expr otherwise = expression();
        Expr e = make(Expr::Kind::ternary);
        e.children.push_back(std::move(condition));
        e.children.push_back(std::move(value));
        e.children.push_back(std::move(otherwise));
        return e;
    }

private:
    static bool is_keyword(std::string_view w) {
        static constexpr std::string_view keywords[] = {
            "and",   "or",     "not",      "in",       "is",    "if",     "else",
            "for",   "lambda", "None",     "True",     "False", "import", "from",
            "def",   "class",  "return",   "yield",    "while", "with",   "as",
            "del",   "pass",   "break",    "continue", "try",   "except", "finally",
            "raise", "global", "nonlocal", "assert",   "elif",  "await",  "async"};
        for (auto k : keywords)
            if (k == w) return true;
        return false;
    }

    Expr or_test() {
        Expr left = and_test();
        if (!is_name("or")) return left;
        Expr e = make(Expr::Kind::or_);
        e.children.push_back(std::move(left));
        while (accept_name("or"))
            e.children.push_back(and_test());
        return e;
    }

    Expr and_test() {
        Expr left = not_test();
        if (!is_name("and")) return left;
        Expr e = make(Expr::Kind::and_);
        e.children.push_back(std::move(left));
        while (accept_name("and"))
            e.children.push_back(not_test());
        return e;
    }

    Expr not_test() {
        const NestingGuard guard(nesting_);
        if (accept_name("not")) {
            Expr e = make(Expr::Kind::not_);
            e.children.push_back(not_test());
            return e;
        }
        return comparison();
    }

    bool comparison_operator(CompareOp& op) {
        const Token& t = peek();
        if (t.kind == Token::Kind::op) {
            if (t.text == "<")
                op = CompareOp::lt;
            else if (t.text == "<=")
                op = CompareOp::le;
            else if (t.text == ">")
                op = CompareOp::gt;
            else if (t.text == ">=")
                op = CompareOp::ge;
            else if (t.text == "==")
                op = CompareOp::eq;
            else if (t.text == "!=")
                op = CompareOp::ne;
            else
                return false;
            next();
            return true;
        }
        if (t.kind != Token::Kind::name) return false;
        if (t.text == "in") {
            next();
            op = CompareOp::in;
            return true;
        }
        if (t.text == "not" && peek(1).kind == Token::Kind::name && peek(1).text == "in") {
            next();
            next();
            op = CompareOp::not_in;
            return true;
        }
        if (t.text == "is") {
            next();
            op = accept_name("not") ? CompareOp::is_not : CompareOp::is;
            return true;
        }
        return false;
    }

    Expr comparison() {
        Expr left = bit_or();
        CompareOp op{};
        if (!comparison_operator(op)) return left;
        Expr e = make(Expr::Kind::compare);
        e.children.push_back(std::move(left));
        do {
            e.compare_ops.push_back(op);
            e.children.push_back(bit_or());
        } while (comparison_operator(op));
        return e;
    }

    Expr binary_level(int level) {
        // Levels from loosest: | ^ & shifts additive multiplicative.
        static const std::vector<std::vector<std::pair<std::string_view, BinaryOp>>> table = {
            {{"|", BinaryOp::bitor_}},
            {{"^", BinaryOp::bitxor}},
            {{"&", BinaryOp::bitand_}},
            {{"<<", BinaryOp::lshift}, {">>", BinaryOp::rshift}},
            {{"+", BinaryOp::add}, {"-", BinaryOp::sub}},
            {{"*", BinaryOp::mul},
             {"/", BinaryOp::div},
             {"//", BinaryOp::floordiv},
             {"%", BinaryOp::mod}},
        };
        if (level == static_cast<int>(table.size())) return factor();
        Expr left = binary_level(level + 1);
        NestingGuard chain(nesting_, false);
        while (true) {
            const auto& ops = table[static_cast<std::size_t>(level)];
            const auto it =
                std::find_if(ops.begin(), ops.end(), [&](const auto& p) { return is_op(p.first); });
            if (it == ops.end()) return left;
            next();
            chain.deepen();
            Expr e = make(Expr::Kind::binary);
            e.op = it->second;
            e.children.push_back(std::move(left));
            e.children.push_back(binary_level(level + 1));
            left = std::move(e);
        }
    }

    Expr bit_or() { return binary_level(0); }

    Expr factor() {
        Expr::Kind kind{};
        if (is_op("-"))
            kind = Expr::Kind::neg;
        else if (is_op("+"))
            kind = Expr::Kind::pos;
        else if (is_op("~"))
            kind = Expr::Kind::invert;
        else
            return power();
        next();
        const NestingGuard guard(nesting_);
        Expr operand = factor();
        if (kind == Expr::Kind::neg && operand.kind == Expr::Kind::constant &&
            operand.constant.is_number()) {
            // Fold -1 so that literals such as -9223372036854775808 stay in range and cost nothing.
            operand.constant = negate(operand.constant);
            return operand;
        }
        Expr e = make(kind);
        e.children.push_back(std::move(operand));
        return e;
    }

    Expr power() {
        Expr base = primary();
        if (!accept_op("**")) return base;
        Expr e = make(Expr::Kind::binary);
        e.op = BinaryOp::pow;
        e.children.push_back(std::move(base));
        e.children.push_back(factor());
        return e;
    }

    void call_arguments(Expr& call) {
        // After '('.
        while (!accept_op(")")) {
            if (is_op("*") || is_op("**"))
                syntax_error("*args and **kwargs are not supported in Typhoon templates");
            if (peek().kind == Token::Kind::name && peek(1).kind == Token::Kind::op &&
                peek(1).text == "=") {
                call.keywords.push_back(next().text);
                next();
                call.children.push_back(expression());
            } else {
                if (!call.keywords.empty())
                    syntax_error("positional argument follows keyword argument");
                Expr argument = expression();
                if (is_name("for")) argument = comprehension(std::move(argument));
                call.children.push_back(std::move(argument));
            }
            if (!accept_op(",")) {
                expect_op(")");
                break;
            }
        }
    }

    Expr comprehension(Expr element) {
        Expr e = make(Expr::Kind::comprehension);
        next();  // for
        e.target = target_list(true);
        if (!accept_name("in")) syntax_error("expected 'in' in comprehension");
        e.children.push_back(std::move(element));
        e.children.push_back(or_test());
        while (accept_name("if"))
            e.children.push_back(or_test_no_ternary());
        if (is_name("for"))
            syntax_error("nested comprehensions are not supported in Typhoon templates");
        return e;
    }

    Expr or_test_no_ternary() { return or_test(); }

    Expr primary() {
        Expr e = atom();
        NestingGuard chain(nesting_, false);
        while (true) {
            chain.deepen();
            if (accept_op("(")) {
                Expr call = make(Expr::Kind::call);
                if (e.kind == Expr::Kind::attribute) {
                    call.kind = Expr::Kind::method_call;
                    call.name = std::move(e.name);
                    call.children.push_back(std::move(e.children[0]));
                } else {
                    call.children.push_back(std::move(e));
                }
                call_arguments(call);
                e = std::move(call);
            } else if (accept_op("[")) {
                e = subscription(std::move(e));
            } else if (accept_op(".")) {
                const Token& t = next();
                if (t.kind != Token::Kind::name) syntax_error("invalid syntax after '.'");
                Expr a = make(Expr::Kind::attribute);
                a.name = t.text;
                a.children.push_back(std::move(e));
                e = std::move(a);
            } else {
                return e;
            }
        }
    }

    Expr slice_part() {
        if (is_op(":") || is_op("]") || is_op(",")) return constant(Value::unbound());
        return expression();
    }

    Expr subscription(Expr object) {
        Expr start = slice_part();
        if (!is_op(":")) {
            Expr index = std::move(start);
            if (is_op(",")) {
                Expr tuple = make(Expr::Kind::tuple);
                tuple.children.push_back(std::move(index));
                while (accept_op(",") && !is_op("]"))
                    tuple.children.push_back(expression());
                index = std::move(tuple);
            }
            expect_op("]");
            Expr e = make(Expr::Kind::subscript);
            e.children.push_back(std::move(object));
            e.children.push_back(std::move(index));
            return e;
        }
        next();
        Expr stop = slice_part();
        Expr step = constant(Value::unbound());
        if (accept_op(":")) step = slice_part();
        expect_op("]");
        Expr e = make(Expr::Kind::slice);
        e.children.push_back(std::move(object));
        e.children.push_back(std::move(start));
        e.children.push_back(std::move(stop));
        e.children.push_back(std::move(step));
        return e;
    }

    Expr atom() {
        const Token token = next();
        switch (token.kind) {
            case Token::Kind::number:
                return constant(token.number);
            case Token::Kind::string: {
                std::string text = token.text;
                while (peek().kind == Token::Kind::string)
                    text += next().text;
                return constant(Value::string(std::move(text)));
            }
            case Token::Kind::name: {
                if (token.text == "None") return constant(Value());
                if (token.text == "True") return constant(Value::boolean(true));
                if (token.text == "False") return constant(Value::boolean(false));
                if (is_keyword(token.text))
                    syntax_error("invalid syntax near '" + token.text + "'");
                Expr e = make(Expr::Kind::name);
                e.name = token.text;
                return e;
            }
            case Token::Kind::end:
                syntax_error("unexpected end of expression");
            case Token::Kind::op:
                break;
        }
        if (token.text == "(") {
            if (accept_op(")")) return make(Expr::Kind::tuple);
            Expr first = expression();
            if (is_name("for")) {
                Expr c = comprehension(std::move(first));
                expect_op(")");
                return c;
            }
            if (accept_op(")")) return first;  // parenthesised expression
            Expr tuple = make(Expr::Kind::tuple);
            tuple.children.push_back(std::move(first));
            while (accept_op(",")) {
                if (is_op(")")) break;
                tuple.children.push_back(expression());
            }
            expect_op(")");
            return tuple;
        }
        if (token.text == "[") {
            Expr list = make(Expr::Kind::list);
            if (accept_op("]")) return list;
            Expr first = expression();
            if (is_name("for")) {
                Expr c = comprehension(std::move(first));
                expect_op("]");
                return c;
            }
            list.children.push_back(std::move(first));
            while (accept_op(",")) {
                if (is_op("]")) break;
                list.children.push_back(expression());
            }
            expect_op("]");
            return list;
        }
        if (token.text == "{") {
            Expr dict = make(Expr::Kind::dict);
            while (!accept_op("}")) {
                dict.children.push_back(expression());
                if (!accept_op(":"))
                    syntax_error(
                        "set literals and dict comprehensions are not supported in Typhoon "
                        "templates");
                dict.children.push_back(expression());
                if (is_name("for"))
                    syntax_error("dict comprehensions are not supported in Typhoon templates");
                if (!accept_op(",")) {
                    expect_op("}");
                    break;
                }
            }
            return dict;
        }
        syntax_error("invalid syntax near '" + token.text + "'");
    }

    std::vector<Token> tokens_;
    int nesting_ = 0;
    std::size_t index_ = 0;
    Token previous_{};
};

}  // namespace

Expr parse_expression(std::string_view text) {
    Parser parser(text);
    if (parser.at_end()) syntax_error("empty expression");
    Expr e = parser.expression_list();
    parser.expect_end();
    return e;
}

void parse_for(std::string_view text, Target& target, Expr& iterable) {
    Parser parser(text);
    target = parser.target_list(true);
    if (!parser.accept_name("in")) syntax_error("expected 'in' in for statement");
    iterable = parser.expression_list();
    parser.expect_end();
}

void parse_assignment(std::string_view text, Target& target, bool& augmented, BinaryOp& op,
                      Expr& value) {
    Parser parser(text);
    static const std::pair<std::string_view, BinaryOp> augmented_ops[] = {
        {"+=", BinaryOp::add},    {"-=", BinaryOp::sub},       {"*=", BinaryOp::mul},
        {"/=", BinaryOp::div},    {"//=", BinaryOp::floordiv}, {"%=", BinaryOp::mod},
        {"**=", BinaryOp::pow},   {"&=", BinaryOp::bitand_},   {"|=", BinaryOp::bitor_},
        {"^=", BinaryOp::bitxor}, {"<<=", BinaryOp::lshift},   {">>=", BinaryOp::rshift},
    };
    if (parser.peek().kind == Token::Kind::name && parser.peek(1).kind == Token::Kind::op) {
        for (const auto& [symbol, binary_op] : augmented_ops) {
            if (parser.peek(1).text == symbol) {
                target = parser.target_atom();
                parser.next();
                augmented = true;
                op = binary_op;
                value = parser.expression_list();
                parser.expect_end();
                return;
            }
        }
    }
    target = parser.target_list(false);
    if (!parser.accept_op("="))
        syntax_error(
            "expected '=' in set statement (only `name = expression` and `name op= expression` are "
            "supported)");
    augmented = false;
    value = parser.expression_list();
    if (parser.is_op("=")) syntax_error("chained assignment is not supported in Typhoon templates");
    parser.expect_end();
}

void target_names(const Target& target, std::vector<std::string>& names) {
    if (!target.is_tuple) {
        names.push_back(target.name);
        return;
    }
    for (const auto& t : target.elements)
        target_names(t, names);
}

}  // namespace typhoon::templates::detail
