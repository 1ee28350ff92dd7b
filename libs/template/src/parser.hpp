#ifndef TYPHOON_TEMPLATE_SRC_PARSER_HPP
#define TYPHOON_TEMPLATE_SRC_PARSER_HPP

// A template file parsed into chunks, as tornado.template._parse reads it: text (whitespace already
// filtered), expressions, and directives with their bodies.

#include "expression.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace typhoon::templates::detail {

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
    enum class Kind : std::uint8_t {
        text,
        expression,
        module,
        extends,
        include,
        assign,
        break_,
        continue_,
        block,
        apply,
        control,
        intermediate
    };
    Kind kind = Kind::text;
    int line = 0;
    std::string
        text;  ///< text; expression source; extends/include/block name; intermediate operator
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

bool valid_whitespace_mode(std::string_view mode);

/** Parses `source` (valid UTF-8) as template `name`, with whitespace mode `whitespace` until a
    {% whitespace %} changes it; sets `file.autoescape` on {% autoescape %}.
    @throws ParseError */
std::vector<Chunk> parse_template(const std::string& name, std::string_view source,
                                  std::string whitespace, File& file);

}  // namespace typhoon::templates::detail

#endif
