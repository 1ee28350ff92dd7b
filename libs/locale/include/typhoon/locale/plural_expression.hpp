#ifndef TYPHOON_LOCALE_PLURAL_EXPRESSION_HPP
#define TYPHOON_LOCALE_PLURAL_EXPRESSION_HPP

#include <cstdint>
#include <string_view>
#include <vector>

#include <typhoon/core/error.hpp>

namespace typhoon::locale {

/// A `plural=` expression of a gettext catalogue that cannot be read (Python's ValueError).
struct PluralExpressionError : Error {
    using Error::Error;
};

/** The `plural=` expression of a gettext `Plural-Forms` header, such as
    `n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2`, compiled once and evaluated for each count.

    It mirrors Python's `gettext.c2py()`, which Tornado's gettext catalogues go through: the same
    tokens are accepted (integers, `n`, `! * / % + - < > <= >= == != && || ? :` and parentheses),
    and the result is what Python computes for the translated expression, quirks included: `!`
    binds like Python's `not` (so `!n == 1` means `!(n == 1)`), `/` and `%` round towards minus
    infinity, and `&&`/`||` yield an operand rather than 0/1. Nothing is executed: the expression
    becomes a small tree that is walked. */
class PluralExpression {
public:
    /// Germanic plurals, Python's default when a catalogue has no header: `n != 1`.
    PluralExpression();

    /** Compiles `expression` (the text after `plural=`).
        @throws PluralExpressionError for what c2py refuses: unknown tokens, unbalanced
        parentheses, more than 1000 characters, nesting deeper than 20, or what Python would not
        parse after translation (such as `n == !n`). */
    static PluralExpression parse(std::string_view expression);

    /** The index of the plural form for `n`.
        @throws Error on division or modulo by zero (Python's ZeroDivisionError) and on 64-bit
        overflow, where Python's integers would simply grow. */
    std::int64_t operator()(std::int64_t n) const;

private:
    friend class PythonParser;
    struct Node {
        int op = 0;  // an operator of plural_expression.cpp, or a literal or `n`
        std::int64_t value = 0;
        int a = -1, b = -1, c = -1;  // operands, as indexes into nodes_
    };
    std::int64_t evaluate(int node, std::int64_t n) const;

    std::vector<Node> nodes_;  // children before parents; the root is the last node
};

}  // namespace typhoon::locale

#endif
