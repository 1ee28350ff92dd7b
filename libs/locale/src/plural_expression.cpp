// Plural rules as Python's gettext.c2py() reads them: the C expression is first rewritten into the
// Python expression c2py would build (same tokens, same parentheses, `!` -> `not`, `/` -> `//`),
// and that Python expression is then parsed with Python's precedence and evaluated on int64.
#include <typhoon/locale/plural_expression.hpp>

#include <cstddef>
#include <string>
#include <utility>

namespace typhoon::locale {
namespace {

enum Op : int {
    lit,
    var_n,
    op_or,
    op_and,
    op_not,
    eq,
    ne,
    lt,
    gt,
    le,
    ge,
    add,
    sub,
    mul,
    floordiv,
    mod,
    if_else
};

bool is_word_byte(unsigned char c) {
    // Python's \w is Unicode-aware; any non-ASCII byte belongs to a character that is at worst
    // an invalid token either way.
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c >= 0x80;
}

/// gettext._tokenize: the C tokens, then "" for the end.
std::vector<std::string> tokenize(std::string_view text) {
    std::vector<std::string> tokens;
    std::size_t i = 0;
    const auto word_at = [&](std::size_t k) {
        return k < text.size() && is_word_byte(static_cast<unsigned char>(text[k]));
    };
    while (i < text.size()) {
        const char c = text[i];
        if (c == ' ' || c == '\t') {
            ++i;
            continue;
        }
        if (c >= '0' && c <= '9') {
            std::size_t end = i;
            while (end < text.size() && text[end] >= '0' && text[end] <= '9')
                ++end;
            if (!word_at(end)) {  // [0-9]+\b
                tokens.emplace_back(text.substr(i, end - i));
                i = end;
                continue;
            }
        } else if (c == 'n' && !word_at(i + 1)) {
            tokens.emplace_back("n");
            ++i;
            continue;
        } else if (c == '(' || c == ')' || c == '-' || c == '*' || c == '/' || c == '%' ||
                   c == '+' || c == '?' || c == ':') {
            tokens.emplace_back(1, c);
            ++i;
            continue;
        } else if (c == '>' || c == '<' || c == '!') {
            const bool with_equal = i + 1 < text.size() && text[i + 1] == '=';
            tokens.emplace_back(text.substr(i, with_equal ? 2 : 1));
            i += with_equal ? 2 : 1;
            continue;
        } else if ((c == '=' || c == '&' || c == '|') && i + 1 < text.size() && text[i + 1] == c) {
            tokens.emplace_back(text.substr(i, 2));
            i += 2;
            continue;
        }
        // INVALID: \w+ or any single character
        std::size_t end = i + 1;
        if (word_at(i))
            while (word_at(end))
                ++end;
        throw PluralExpressionError("invalid token in plural form: " +
                                    std::string(text.substr(i, end - i)));
    }
    tokens.emplace_back();
    return tokens;
}

int binary_priority(const std::string& token) {
    if (token == "||") return 1;
    if (token == "&&") return 2;
    if (token == "==" || token == "!=") return 3;
    if (token == "<" || token == ">" || token == "<=" || token == ">=") return 4;
    if (token == "+" || token == "-") return 5;
    if (token == "*" || token == "/" || token == "%") return 6;
    return 0;
}

PluralExpressionError unexpected(const std::string& token) {
    return PluralExpressionError(token.empty() ? "unexpected end of plural form"
                                               : "unexpected token in plural form: " + token);
}

/// gettext._parse, producing the Python expression as tokens instead of text.
class C2Py {
public:
    explicit C2Py(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

    std::vector<std::string> run() {
        auto [result, next] = parse(-1, 0);
        if (!next.empty()) throw unexpected(next);
        return result;
    }

private:
    std::string next_token() {
        if (pos_ >= tokens_.size()) throw unexpected("");  // Python: StopIteration -> error
        return tokens_[pos_++];
    }

    std::pair<std::vector<std::string>, std::string> parse(int priority, int depth) {
        if (depth > 400) throw PluralExpressionError("plural form expression is too complex");
        std::vector<std::string> result;
        std::string token = next_token();
        while (token == "!") {
            result.emplace_back("not");
            token = next_token();
        }
        if (token == "(") {
            auto [sub, after] = parse(-1, depth + 1);
            result.emplace_back("(");
            result.insert(result.end(), sub.begin(), sub.end());
            result.emplace_back(")");
            if (after != ")") throw PluralExpressionError("unbalanced parenthesis in plural form");
        } else if (token == "n") {
            result.emplace_back("n");
        } else {
            // int(token, 10): only the NUMBER tokens are all digits
            if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos)
                throw unexpected(token);
            const std::size_t first = token.find_first_not_of('0');
            result.emplace_back(first == std::string::npos ? "0" : token.substr(first));
        }
        token = next_token();

        int j = 100;
        while (int i = binary_priority(token)) {
            if (i < priority) break;
            if ((i == 3 || i == 4) && (j == 3 || j == 4))
                wrap(result);  // break chained comparisons
            const std::string op = token == "||"   ? "or"
                                   : token == "&&" ? "and"
                                   : token == "/"  ? "//"
                                                   : token;
            auto [right, after] = parse(i + 1, depth + 1);
            result.push_back(op);
            result.insert(result.end(), right.begin(), right.end());
            token = std::move(after);
            j = i;
        }
        if (j == 4 && priority == 4) wrap(result);

        if (token == "?" && priority <= 0) {
            auto [if_true, colon] = parse(0, depth + 1);
            if (colon != ":") throw unexpected(colon);
            auto [if_false, after] = parse(-1, depth + 1);
            std::vector<std::string> ternary = std::move(if_true);
            ternary.emplace_back("if");
            ternary.insert(ternary.end(), result.begin(), result.end());
            ternary.emplace_back("else");
            ternary.insert(ternary.end(), if_false.begin(), if_false.end());
            result = std::move(ternary);
            if (priority == 0) wrap(result);
            token = std::move(after);
        }
        return {std::move(result), std::move(token)};
    }

    static void wrap(std::vector<std::string>& tokens) {
        tokens.insert(tokens.begin(), "(");
        tokens.emplace_back(")");
    }

    std::vector<std::string> tokens_;
    std::size_t pos_ = 0;
};

}  // namespace

/// Parses the Python expression c2py produced, with Python's grammar:
///   expression  := disjunction ['if' disjunction 'else' expression]
///   disjunction := conjunction ('or' conjunction)*      conjunction := inversion ('and'
///   inversion)* inversion   := 'not' inversion | comparison          comparison := sum (compare
///   sum)* sum := term (('+'|'-') term)*    term := atom (('*'|'//'|'%') atom)*    atom := n | int
///   | (expression)
class PythonParser {
public:
    PythonParser(const std::vector<std::string>& tokens, std::vector<PluralExpression::Node>& nodes)
        : tokens_(tokens), nodes_(nodes) {}

    int parse_all() {
        const int root = expression();
        if (pos_ != tokens_.size()) syntax_error();
        return root;
    }

private:
    using Node = PluralExpression::Node;

    [[noreturn]] static void syntax_error() {
        throw PluralExpressionError("plural form expression is not valid Python once translated");
    }
    const std::string& peek() const {
        static const std::string end;
        return pos_ < tokens_.size() ? tokens_[pos_] : end;
    }
    int add_node(int op, int a = -1, int b = -1, int c = -1, std::int64_t value = 0) {
        nodes_.push_back(Node{op, value, a, b, c});
        return static_cast<int>(nodes_.size()) - 1;
    }

    int expression() {
        const int body = disjunction();
        if (peek() != "if") return body;
        ++pos_;
        const int condition = disjunction();
        if (peek() != "else") syntax_error();
        ++pos_;
        const int otherwise = expression();
        return add_node(if_else, body, condition, otherwise);
    }
    int disjunction() {
        int left = conjunction();
        while (peek() == "or") {
            ++pos_;
            left = add_node(op_or, left, conjunction());
        }
        return left;
    }
    int conjunction() {
        int left = inversion();
        while (peek() == "and") {
            ++pos_;
            left = add_node(op_and, left, inversion());
        }
        return left;
    }
    int inversion() {
        if (peek() == "not") {
            ++pos_;
            return add_node(op_not, inversion());
        }
        return comparison();
    }
    int comparison() {
        int left = sum();
        // c2py parenthesises chains away, so each comparison has one operator.
        const std::string& token = peek();
        const int op = token == "=="   ? eq
                       : token == "!=" ? ne
                       : token == "<"  ? lt
                       : token == ">"  ? gt
                       : token == "<=" ? le
                       : token == ">=" ? ge
                                       : -1;
        if (op < 0) return left;
        ++pos_;
        left = add_node(op, left, sum());
        if (peek() == "==" || peek() == "!=" || peek() == "<" || peek() == ">" || peek() == "<=" ||
            peek() == ">=")
            syntax_error();
        return left;
    }
    int sum() {
        int left = term();
        while (peek() == "+" || peek() == "-") {
            const int op = peek() == "+" ? add : sub;
            ++pos_;
            left = add_node(op, left, term());
        }
        return left;
    }
    int term() {
        int left = atom();
        while (peek() == "*" || peek() == "//" || peek() == "%") {
            const int op = peek() == "*" ? mul : peek() == "//" ? floordiv : mod;
            ++pos_;
            left = add_node(op, left, atom());
        }
        return left;
    }
    int atom() {
        const std::string& token = peek();
        if (token == "(") {
            ++pos_;
            const int inner = expression();
            if (peek() != ")") syntax_error();
            ++pos_;
            return inner;
        }
        if (token == "n") {
            ++pos_;
            return add_node(var_n);
        }
        if (!token.empty() && token.find_first_not_of("0123456789") == std::string::npos) {
            std::int64_t value = 0;
            for (const char digit : token)
                if (__builtin_mul_overflow(value, 10, &value) ||
                    __builtin_add_overflow(value, digit - '0', &value))
                    throw PluralExpressionError("number too large in plural form: " + token);
            ++pos_;
            return add_node(lit, -1, -1, -1, value);
        }
        syntax_error();
    }

    const std::vector<std::string>& tokens_;
    std::vector<Node>& nodes_;
    std::size_t pos_ = 0;
};

PluralExpression::PluralExpression()
    : nodes_{{var_n, 0, -1, -1, -1}, {lit, 1, -1, -1, -1}, {ne, 0, 0, 1, -1}} {}

PluralExpression PluralExpression::parse(std::string_view expression) {
    if (expression.size() > 1000) throw PluralExpressionError("plural form expression is too long");
    const std::vector<std::string> python = C2Py(tokenize(expression)).run();
    int depth = 0;
    for (const auto& token : python) {
        if (token == "(" && ++depth > 20)
            throw PluralExpressionError("plural form expression is too complex");
        if (token == ")") --depth;
    }
    PluralExpression result;
    result.nodes_.clear();
    PythonParser(python, result.nodes_).parse_all();
    return result;
}

std::int64_t PluralExpression::operator()(std::int64_t n) const {
    return evaluate(static_cast<int>(nodes_.size()) - 1, n);
}

std::int64_t PluralExpression::evaluate(int index, std::int64_t n) const {
    const Node& node = nodes_[static_cast<std::size_t>(index)];
    const auto overflow = [] { return Error("integer overflow in plural form"); };
    switch (node.op) {
        case lit:
            return node.value;
        case var_n:
            return n;
        case op_or: {  // Python's `or` yields an operand
            const std::int64_t left = evaluate(node.a, n);
            return left != 0 ? left : evaluate(node.b, n);
        }
        case op_and: {
            const std::int64_t left = evaluate(node.a, n);
            return left == 0 ? left : evaluate(node.b, n);
        }
        case op_not:
            return evaluate(node.a, n) == 0 ? 1 : 0;
        case if_else:
            return evaluate(node.b, n) != 0 ? evaluate(node.a, n) : evaluate(node.c, n);
        default:
            break;
    }
    const std::int64_t x = evaluate(node.a, n);
    const std::int64_t y = evaluate(node.b, n);
    std::int64_t r = 0;
    switch (node.op) {
        case eq:
            return x == y;
        case ne:
            return x != y;
        case lt:
            return x < y;
        case gt:
            return x > y;
        case le:
            return x <= y;
        case ge:
            return x >= y;
        case add:
            if (__builtin_add_overflow(x, y, &r)) throw overflow();
            return r;
        case sub:
            if (__builtin_sub_overflow(x, y, &r)) throw overflow();
            return r;
        case mul:
            if (__builtin_mul_overflow(x, y, &r)) throw overflow();
            return r;
        case floordiv:
        case mod: {
            if (y == 0) throw Error("integer division or modulo by zero");
            if (y == -1) {  // INT64_MIN / -1 overflows; the remainder is always 0
                if (node.op == mod) return 0;
                if (__builtin_sub_overflow(std::int64_t{0}, x, &r)) throw overflow();
                return r;
            }
            std::int64_t q = x / y, m = x % y;
            if (m != 0 &&
                ((m < 0) != (y < 0))) {  // Python rounds the quotient towards minus infinity
                --q;
                m += y;
            }
            return node.op == floordiv ? q : m;
        }
        default:
            throw Error("corrupt plural expression");
    }
}

}  // namespace typhoon::locale
