#include <typhoon/options/option_parser.hpp>

#include "option_record.hpp"
#include "python_format.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/utf8.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

// Tornado executes a config file as Python. Typhoon reads the part of Python such files use:
// assignments of literals, with the arithmetic and names people write in them
// (`log_file_max_size = 100 * 1000 * 1000`, `static_path = root + "/static"`).
// The template engine evaluates Python too, but another subset: expressions over JSON values with
// calls and methods, never statements, files or option types. Neither library may depend on the
// other (both sit on core alone), and each subset stays the size its files need.
namespace typhoon::options {

namespace {

struct Literal {
    enum class Type { none, boolean, integer, floating, string, list, tuple };
    Type type = Type::none;
    bool boolean = false;
    std::int64_t integer = 0;
    double floating = 0;
    std::string string{};
    std::vector<Literal> items{};
};

std::string_view class_name(Literal::Type type) {
    switch (type) {
        case Literal::Type::none:
            return "NoneType";
        case Literal::Type::boolean:
            return "bool";
        case Literal::Type::integer:
            return "int";
        case Literal::Type::floating:
            return "float";
        case Literal::Type::string:
            return "str";
        case Literal::Type::list:
            return "list";
        case Literal::Type::tuple:
            return "tuple";
    }
    return "object";
}

/// Thrown inside this file with the line; turned into "<path>:<line>: <message>".
struct SyntaxError {
    unsigned line;
    std::string message;
};

enum class Tok { name, number, string, op, newline, end };

struct Token {
    Tok kind = Tok::end;
    std::string text{};  // name, operator, or decoded string
    Literal number{};
    unsigned line = 0;
};

bool is_name_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80);
}
bool is_name_char(char c) {
    return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c));
}

class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}

    std::vector<Token> run() {
        std::vector<Token> tokens;
        bool line_start = true;
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (line_start && depth_ == 0) {
                line_start = false;
                const std::size_t first = text_.find_first_not_of(" \t\f", pos_);
                const bool blank = first == std::string_view::npos || text_[first] == '\n' ||
                                   text_[first] == '#' || text_[first] == '\r';
                if (first != pos_ && !blank) throw SyntaxError{line_, "unexpected indent"};
                continue;
            }
            if (c == '\n') {
                if (depth_ == 0 && !tokens.empty() && tokens.back().kind != Tok::newline)
                    tokens.push_back({Tok::newline, "", {}, line_});
                ++line_;
                ++pos_;
                line_start = true;
            } else if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
                ++pos_;
            } else if (c == '#') {
                while (pos_ < text_.size() && text_[pos_] != '\n')
                    ++pos_;
            } else if (c == '\\') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
                    pos_ += 2;
                    ++line_;
                } else if (pos_ + 2 < text_.size() && text_[pos_ + 1] == '\r' &&
                           text_[pos_ + 2] == '\n') {
                    pos_ += 3;
                    ++line_;
                } else {
                    throw SyntaxError{line_,
                                      "unexpected character after line continuation character"};
                }
            } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                       (c == '.' && pos_ + 1 < text_.size() &&
                        std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))) {
                tokens.push_back(number());
            } else if (c == '"' || c == '\'') {
                tokens.push_back(string(false));
            } else if (is_name_start(c)) {
                std::size_t end = pos_;
                while (end < text_.size() && is_name_char(text_[end]))
                    ++end;
                const std::string_view word = text_.substr(pos_, end - pos_);
                const bool prefix = word.size() <= 2 && end < text_.size() &&
                                    (text_[end] == '"' || text_[end] == '\'') &&
                                    word.find_first_not_of("rRuUbBfF") == std::string_view::npos;
                if (prefix) {
                    const bool raw = word.find_first_of("rR") != std::string_view::npos;
                    if (word.find_first_of("bB") != std::string_view::npos)
                        throw SyntaxError{line_,
                                          "bytes literals are not supported in a config file"};
                    if (word.find_first_of("fF") != std::string_view::npos)
                        throw SyntaxError{line_, "f-strings are not supported in a config file"};
                    pos_ = end;
                    tokens.push_back(string(raw));
                } else {
                    tokens.push_back({Tok::name, std::string(word), {}, line_});
                    pos_ = end;
                }
            } else {
                tokens.push_back(op());
            }
        }
        if (depth_ > 0) throw SyntaxError{line_, "unexpected end of file inside brackets"};
        if (!tokens.empty() && tokens.back().kind != Tok::newline)
            tokens.push_back({Tok::newline, "", {}, line_});
        tokens.push_back({Tok::end, "", {}, line_});
        return tokens;
    }

private:
    Token op() {
        static constexpr std::string_view two[] = {
            "//", "**", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/="};
        for (std::string_view t : two)
            if (text_.substr(pos_, 2) == t) {
                pos_ += 2;
                return {Tok::op, std::string(t), {}, line_};
            }
        const char c = text_[pos_];
        if (std::string_view("([{").find(c) != std::string_view::npos) ++depth_;
        if (std::string_view(")]}").find(c) != std::string_view::npos) {
            if (depth_ == 0) throw SyntaxError{line_, std::string("unmatched '") + c + "'"};
            --depth_;
        }
        if (std::string_view("()[]{},=+-*/%;:.<>").find(c) == std::string_view::npos)
            throw SyntaxError{line_, "invalid syntax"};
        ++pos_;
        return {Tok::op, std::string(1, c), {}, line_};
    }

    Token number() {
        Token token{Tok::number, "", {}, line_};
        const std::size_t start = pos_;
        auto digits = [&](auto accept) {  // digits with single underscores between them
            const std::size_t from = pos_;
            while (pos_ < text_.size() &&
                   (accept(text_[pos_]) || (text_[pos_] == '_' && pos_ + 1 < text_.size() &&
                                            pos_ > from && accept(text_[pos_ + 1]))))
                ++pos_;
            return pos_ > from;
        };
        auto dec = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
        auto fail = [&] { throw SyntaxError{line_, "invalid decimal literal"}; };
        auto strip = [](std::string_view s) {
            std::string out;
            for (char c : s)
                if (c != '_') out += c;
            return out;
        };
        if (text_[pos_] == '0' && pos_ + 1 < text_.size() &&
            std::string_view("xXoObB").find(text_[pos_ + 1]) != std::string_view::npos) {
            const char kind =
                static_cast<char>(std::tolower(static_cast<unsigned char>(text_[pos_ + 1])));
            const int base = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
            pos_ += 2;
            if (pos_ < text_.size() && text_[pos_] == '_') ++pos_;
            auto in_base = [base](char c) {
                const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                              : std::isxdigit(static_cast<unsigned char>(c))
                                  ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                                  : 99;
                return v < base;
            };
            if (!digits(in_base)) throw SyntaxError{line_, "invalid number literal"};
            const std::string body = strip(text_.substr(start + 2, pos_ - start - 2));
            errno = 0;
            const unsigned long long v = std::strtoull(body.c_str(), nullptr, base);
            if (errno == ERANGE || v > 9'223'372'036'854'775'807ULL)
                throw SyntaxError{line_, "integer literal too large"};
            token.number.type = Literal::Type::integer;
            token.number.integer = static_cast<std::int64_t>(v);
        } else {
            bool is_float = false;
            digits(dec);
            const std::string integral = strip(text_.substr(start, pos_ - start));
            if (pos_ < text_.size() && text_[pos_] == '.') {
                is_float = true;
                ++pos_;
                digits(dec);
            }
            if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
                is_float = true;
                ++pos_;
                if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
                if (!digits(dec)) fail();
            }
            if (pos_ < text_.size() && (text_[pos_] == 'j' || text_[pos_] == 'J'))
                throw SyntaxError{line_, "complex numbers are not supported in a config file"};
            if (pos_ < text_.size() && is_name_char(text_[pos_])) fail();
            const std::string body = strip(text_.substr(start, pos_ - start));
            if (is_float) {
                token.number.type = Literal::Type::floating;
                token.number.floating = std::strtod(body.c_str(), nullptr);
            } else {
                if (integral.size() > 1 && integral[0] == '0' &&
                    integral.find_first_not_of('0') != std::string::npos)
                    throw SyntaxError{line_,
                                      "leading zeros in decimal integer literals are not "
                                      "permitted; use an 0o prefix "
                                      "for octal integers"};
                errno = 0;
                const unsigned long long v = std::strtoull(body.c_str(), nullptr, 10);
                if (errno == ERANGE || v > 9'223'372'036'854'775'807ULL)
                    throw SyntaxError{line_, "integer literal too large"};
                token.number.type = Literal::Type::integer;
                token.number.integer = static_cast<std::int64_t>(v);
            }
        }
        return token;
    }

    Token string(bool raw) {
        const unsigned start_line = line_;
        const char quote = text_[pos_];
        const bool triple = text_.substr(pos_, 3) == std::string(3, quote);
        pos_ += triple ? 3 : 1;
        std::string out;
        while (true) {
            if (pos_ >= text_.size())
                throw SyntaxError{start_line, triple ? "unterminated triple-quoted string literal"
                                                     : "unterminated string literal"};
            const char c = text_[pos_];
            if (c == quote && (!triple || text_.substr(pos_, 3) == std::string(3, quote))) {
                pos_ += triple ? 3 : 1;
                break;
            }
            if (c == '\n') {
                if (!triple) throw SyntaxError{start_line, "unterminated string literal"};
                ++line_;
                out += c;
                ++pos_;
                continue;
            }
            if (c != '\\') {
                out += c;
                ++pos_;
                continue;
            }
            if (pos_ + 1 >= text_.size())
                throw SyntaxError{start_line, "unterminated string literal"};
            const char e = text_[pos_ + 1];
            if (raw) {  // a raw string keeps the backslash, which still protects a quote or newline
                out += c;
                out += e;
                if (e == '\n') ++line_;
                pos_ += 2;
                continue;
            }
            pos_ += 2;
            switch (e) {
                case '\n':
                    ++line_;
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '\'':
                    out += '\'';
                    break;
                case '"':
                    out += '"';
                    break;
                case 'a':
                    out += '\a';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'v':
                    out += '\v';
                    break;
                case 'x':
                case 'u':
                case 'U': {
                    const std::size_t width = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    const std::string_view hex = text_.substr(pos_, width);
                    if (hex.size() != width ||
                        hex.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos)
                        throw SyntaxError{line_, std::string("truncated \\") + e +
                                                     std::string(width, 'X') + " escape"};
                    const unsigned long code = std::stoul(std::string(hex), nullptr, 16);
                    if (code > 0x10FFFF) throw SyntaxError{line_, "illegal Unicode character"};
                    escape::append_utf8(out, static_cast<char32_t>(code));
                    pos_ += width;
                    break;
                }
                case 'N':
                    throw SyntaxError{line_, "\\N{...} escapes are not supported in a config file"};
                default:
                    if (e >= '0' && e <= '7') {
                        unsigned code = static_cast<unsigned>(e - '0');
                        for (int k = 0; k < 2 && pos_ < text_.size() && text_[pos_] >= '0' &&
                                        text_[pos_] <= '7';
                             ++k)
                            code = code * 8 + static_cast<unsigned>(text_[pos_++] - '0');
                        escape::append_utf8(out, static_cast<char32_t>(code));
                    } else {  // Python keeps an unknown escape as it is
                        out += '\\';
                        out += e;
                    }
            }
        }
        return {Tok::string, std::move(out), {}, start_line};
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    unsigned line_ = 1;
    int depth_ = 0;
};

// ---- evaluation
// ----------------------------------------------------------------------------------

bool is_number(const Literal& v) {
    return v.type == Literal::Type::integer || v.type == Literal::Type::floating ||
           v.type == Literal::Type::boolean;
}
double as_double(const Literal& v) {
    return v.type == Literal::Type::floating  ? v.floating
           : v.type == Literal::Type::boolean ? (v.boolean ? 1.0 : 0.0)
                                              : static_cast<double>(v.integer);
}
std::int64_t as_int(const Literal& v) {
    return v.type == Literal::Type::boolean ? (v.boolean ? 1 : 0) : v.integer;
}
Literal make_int(std::int64_t n) {
    return {Literal::Type::integer, false, n};
}
Literal make_float(double d) {
    return {Literal::Type::floating, false, 0, d};
}

class Evaluator {
public:
    Evaluator(std::vector<Token> tokens, std::string file) : tokens_(std::move(tokens)) {
        Literal path{Literal::Type::string};
        path.string = std::move(file);
        assign("__file__", std::move(path), 0);
    }

    void run() {
        while (peek().kind != Tok::end) {
            if (peek().kind == Tok::newline) {
                ++at_;
                continue;
            }
            statement();
            while (is_op(";")) {
                ++at_;
                if (peek().kind == Tok::newline || peek().kind == Tok::end) break;
                statement();
            }
            if (peek().kind != Tok::newline) throw SyntaxError{peek().line, "invalid syntax"};
            ++at_;
        }
    }

    struct Assigned {
        Literal value;
        unsigned line;
    };
    std::vector<std::string> order;  // first assignment order, as Python's dict keeps it
    std::map<std::string, Assigned> names;

private:
    const Token& peek(std::size_t ahead = 0) const {
        return tokens_[std::min(at_ + ahead, tokens_.size() - 1)];
    }
    bool is_op(std::string_view op, std::size_t ahead = 0) const {
        return peek(ahead).kind == Tok::op && peek(ahead).text == op;
    }
    void expect(std::string_view op) {
        if (!is_op(op))
            throw SyntaxError{peek().line, "invalid syntax: expected '" + std::string(op) + "'"};
        ++at_;
    }

    void assign(const std::string& name, Literal value, unsigned line) {
        if (!names.contains(name)) order.push_back(name);
        names[name] = {std::move(value), line};
    }

    void statement() {
        const unsigned line = peek().line;
        std::vector<std::string> targets;
        while (peek().kind == Tok::name && is_op("=", 1)) {
            targets.push_back(peek().text);
            at_ += 2;
        }
        if (targets.empty()) {
            if (peek().kind == Tok::name && peek(1).kind == Tok::op && peek(1).text.size() == 2 &&
                peek(1).text[1] == '=' && peek(1).text != "==")
                throw SyntaxError{line, "augmented assignment is not supported in a config file"};
            throw SyntaxError{line,
                              "only `name = value` assignments are supported in a config file"};
        }
        Literal value = testlist();
        for (const auto& target : targets) {
            if (target == "True" || target == "False" || target == "None")
                throw SyntaxError{line, "cannot assign to " + target};
            assign(target, value, line);
        }
    }

    Literal testlist() {
        Literal first = expression();
        if (!is_op(",")) return first;
        Literal tuple{Literal::Type::tuple};
        tuple.items.push_back(std::move(first));
        while (is_op(",")) {
            ++at_;
            if (peek().kind == Tok::newline || peek().kind == Tok::end || is_op(";") || is_op(")"))
                break;
            tuple.items.push_back(expression());
        }
        return tuple;
    }

    Literal expression() {
        Literal left = term();
        while (is_op("+") || is_op("-")) {
            const std::string op = peek().text;
            const unsigned line = peek().line;
            ++at_;
            left = binary(op, std::move(left), term(), line);
        }
        return left;
    }

    Literal term() {
        Literal left = factor();
        while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
            const std::string op = peek().text;
            const unsigned line = peek().line;
            ++at_;
            left = binary(op, std::move(left), factor(), line);
        }
        return left;
    }

    Literal factor() {
        if (is_op("-") || is_op("+")) {
            const bool negate = peek().text == "-";
            const unsigned line = peek().line;
            ++at_;
            Literal v = factor();
            if (!is_number(v))
                throw SyntaxError{line, "bad operand type for unary " +
                                            std::string(negate ? "-" : "+") + ": '" +
                                            std::string(class_name(v.type)) + "'"};
            if (v.type == Literal::Type::floating)
                return make_float(negate ? -v.floating : v.floating);
            const std::int64_t n = as_int(v);
            if (negate && n == std::numeric_limits<std::int64_t>::min())
                throw SyntaxError{line, "integer too large"};
            return make_int(negate ? -n : n);
        }
        Literal base = atom();
        if (is_op("**")) {
            const unsigned line = peek().line;
            ++at_;
            return binary("**", std::move(base), factor(), line);
        }
        return base;
    }

    Literal atom() {
        const Token& token = peek();
        switch (token.kind) {
            case Tok::number:
                ++at_;
                return token.number;
            case Tok::string: {
                Literal s{Literal::Type::string};
                while (peek().kind == Tok::string)
                    s.string += tokens_[at_++].text;  // "a" "b" is "ab"
                return s;
            }
            case Tok::name: {
                ++at_;
                if (token.text == "True" || token.text == "False")
                    return Literal{Literal::Type::boolean, token.text == "True"};
                if (token.text == "None") return Literal{};
                const auto it = names.find(token.text);
                if (it == names.end())
                    throw SyntaxError{token.line, "name '" + token.text + "' is not defined"};
                return it->second.value;
            }
            case Tok::op:
                if (token.text == "(") {
                    ++at_;
                    if (is_op(")")) {
                        ++at_;
                        return Literal{Literal::Type::tuple};
                    }
                    Literal inner = testlist();
                    expect(")");
                    return inner;
                }
                if (token.text == "[") {
                    ++at_;
                    Literal list{Literal::Type::list};
                    while (!is_op("]")) {
                        list.items.push_back(expression());
                        if (!is_op(",")) break;
                        ++at_;
                    }
                    expect("]");
                    return list;
                }
                if (token.text == "{")
                    throw SyntaxError{token.line,
                                      "dicts and sets are not supported in a config file"};
                break;
            default:
                break;
        }
        throw SyntaxError{token.line, "invalid syntax"};
    }

    static Literal binary(const std::string& op, Literal a, Literal b, unsigned line) {
        auto unsupported = [&] {
            return SyntaxError{line, "unsupported operand type(s) for " + op + ": '" +
                                         std::string(class_name(a.type)) + "' and '" +
                                         std::string(class_name(b.type)) + "'"};
        };
        const bool sequence_a = a.type == Literal::Type::string || a.type == Literal::Type::list ||
                                a.type == Literal::Type::tuple;
        if (op == "+" && sequence_a && a.type == b.type) {
            a.string += b.string;
            a.items.insert(a.items.end(), b.items.begin(), b.items.end());
            return a;
        }
        if (op == "*" && (sequence_a || b.type == Literal::Type::string ||
                          b.type == Literal::Type::list || b.type == Literal::Type::tuple)) {
            if (!sequence_a) std::swap(a, b);
            if (b.type != Literal::Type::integer && b.type != Literal::Type::boolean)
                throw unsupported();
            Literal out{a.type};
            for (std::int64_t i = 0; i < as_int(b) && i < 1'000'000; ++i) {
                out.string += a.string;
                out.items.insert(out.items.end(), a.items.begin(), a.items.end());
            }
            return out;
        }
        if (!is_number(a) || !is_number(b)) throw unsupported();
        const bool floating =
            a.type == Literal::Type::floating || b.type == Literal::Type::floating;
        if (op == "/" || floating) {
            const double x = as_double(a), y = as_double(b);
            if ((op == "/" || op == "//" || op == "%") && y == 0)
                throw SyntaxError{line, "float division by zero"};
            if (op == "+") return make_float(x + y);
            if (op == "-") return make_float(x - y);
            if (op == "*") return make_float(x * y);
            if (op == "/") return make_float(x / y);
            if (op == "//") return make_float(std::floor(x / y));
            if (op == "%") return make_float(x - std::floor(x / y) * y);
            return make_float(std::pow(x, y));
        }
        const std::int64_t x = as_int(a), y = as_int(b);
        std::int64_t r = 0;
        bool overflow = false;
        if (op == "+")
            overflow = __builtin_add_overflow(x, y, &r);
        else if (op == "-")
            overflow = __builtin_sub_overflow(x, y, &r);
        else if (op == "*")
            overflow = __builtin_mul_overflow(x, y, &r);
        else if (op == "//" || op == "%") {
            if (y == 0) throw SyntaxError{line, "integer division or modulo by zero"};
            if (x == std::numeric_limits<std::int64_t>::min() && y == -1)
                throw SyntaxError{line, "integer too large"};
            std::int64_t q = x / y, m = x % y;
            if (m != 0 && ((m < 0) != (y < 0))) {
                --q;
                m += y;
            }
            r = op == "//" ? q : m;
        } else {  // **
            if (y < 0) return make_float(std::pow(static_cast<double>(x), static_cast<double>(y)));
            r = 1;
            for (std::int64_t i = 0; i < y && !overflow; ++i)
                overflow = __builtin_mul_overflow(r, x, &r);
        }
        if (overflow) throw SyntaxError{line, "integer too large"};
        return make_int(r);
    }

    std::vector<Token> tokens_;
    std::size_t at_ = 0;
};

// ---- applying values (tornado.options.OptionParser.parse_config_file and _Option.set)
// -------------

bool is_instance(const Literal& v, Kind kind) {
    switch (kind) {
        case Kind::string:
            return v.type == Literal::Type::string;
        case Kind::integer:
            return v.type == Literal::Type::integer || v.type == Literal::Type::boolean;
        case Kind::floating:
            return v.type == Literal::Type::floating;
        case Kind::boolean:
            return v.type == Literal::Type::boolean;
        default:
            return false;  // a config file has no timedelta or datetime literals: use a string
    }
}

Scalar to_scalar(const OptionRecord& record, const Literal& v) {
    switch (record.spec.kind) {
        case Kind::string:
            return v.string;
        case Kind::floating:
            return v.floating;
        case Kind::boolean:
            return v.boolean;
        default: {
            const std::int64_t n = as_int(v);
            if (n < record.spec.min || n > record.spec.max)
                throw Error("Invalid value " + std::to_string(n) + " for option " +
                            escape::detail::python_repr(record.name) + ": out of range " +
                            std::to_string(record.spec.min) + ".." +
                            std::to_string(record.spec.max));
            return n;
        }
    }
}

void apply(OptionRecord& record, const Literal& v) {
    const std::string type(type_name(record.spec.kind));
    if (record.spec.multiple && v.type != Literal::Type::list && v.type != Literal::Type::string)
        throw Error("Option " + escape::detail::python_repr(record.name) +
                    " is required to be a list of " + type + " or a comma-separated string");
    if (v.type == Literal::Type::string && record.spec.kind != Kind::string) {
        store(record, parse_option_text(record, v.string));
        return;
    }
    if (record.spec.multiple) {
        if (v.type != Literal::Type::list)
            throw Error("Option " + escape::detail::python_repr(record.name) +
                        " is required to be a list of " + type);
        std::vector<Scalar> list;
        for (const auto& item : v.items) {
            if (item.type == Literal::Type::none)
                throw Error("Option " + escape::detail::python_repr(record.name) +
                            " cannot hold None in its list");
            if (!is_instance(item, record.spec.kind))
                throw Error("Option " + escape::detail::python_repr(record.name) +
                            " is required to be a list of " + type);
            list.push_back(to_scalar(record, item));
        }
        store(record, std::move(list));
        return;
    }
    if (v.type == Literal::Type::none) {
        store(record, Value());
        return;
    }
    if (!is_instance(v, record.spec.kind))
        throw Error("Option " + escape::detail::python_repr(record.name) + " is required to be a " +
                    type + " (<class '" + std::string(class_name(v.type)) + "'> given)");
    store(record, to_scalar(record, v));
}

}  // namespace

void OptionParser::parse_config_text(std::string_view text, const std::filesystem::path& path,
                                     ParseOptions parse) {
    const std::string where = path.string();
    Evaluator evaluator({}, "");
    try {
        evaluator = Evaluator(Lexer(text).run(),
                              std::filesystem::absolute(path).lexically_normal().string());
        evaluator.run();
    } catch (const SyntaxError& e) {
        throw Error(where + ":" + std::to_string(e.line) + ": " + e.message);
    }
    for (const auto& name : evaluator.order) {
        const auto it = impl_->by_name.find(normalize_name(name));
        if (it == impl_->by_name.end())
            continue;  // not an option: a helper variable, as in Tornado
        const auto& assigned = evaluator.names.at(name);
        try {
            apply(*it->second, assigned.value);
        } catch (const Error& e) {
            throw Error(where + ":" + std::to_string(assigned.line) + ": " + e.what());
        }
    }
    if (parse.final) run_parse_callbacks();
}

void OptionParser::parse_config_file(const std::filesystem::path& path, ParseOptions parse) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("Cannot open config file " + escape::detail::python_repr(path.string()));
    std::ostringstream text;
    text << in.rdbuf();
    parse_config_text(text.str(), path, parse);
}

}  // namespace typhoon::options
