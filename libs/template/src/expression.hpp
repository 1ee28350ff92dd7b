#ifndef TYPHOON_TEMPLATE_SRC_EXPRESSION_HPP
#define TYPHOON_TEMPLATE_SRC_EXPRESSION_HPP

// Python expressions as a tree, parsed once when a template is loaded, and their evaluation.

#include "value.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace typhoon::templates::detail {

/// Where a name lives once the template is compiled: a slot of the current function's frame, of
/// an enclosing one (`depth` frames up), or a global (index into the render's global table).
struct Ref {
    enum class Scope : std::uint8_t { unresolved, local, enclosing, global };
    Scope scope = Scope::unresolved;
    std::uint16_t depth = 0;
    std::uint32_t index = 0;
};

/// An assignment target: a name, or a (possibly nested) tuple of targets.
struct Target {
    std::string name{};
    Ref ref{};
    std::vector<Target> elements{};
    bool is_tuple = false;
};

struct Expr {
    enum class Kind : std::uint8_t {
        constant,
        name,
        list,
        tuple,
        dict,
        attribute,
        subscript,
        slice,
        call,
        method_call,
        not_,
        neg,
        pos,
        invert,
        binary,
        compare,
        and_,
        or_,
        ternary,
        comprehension,
    };
    Kind kind = Kind::constant;
    BinaryOp op = BinaryOp::add;
    std::vector<CompareOp> compare_ops{};
    Value constant{};
    std::string name{};  ///< name, attribute, method
    Ref ref{};
    std::vector<Expr> children{};
    std::vector<std::string> keywords{};  ///< names of the last keywords.size() call arguments
    // comprehension: children = {element, iterable, condition...}; its own frame holds the target.
    Target target{};
    std::uint32_t frame_size = 0;
};

/// A syntax error in an expression; the template parser turns it into a ParseError.
struct SyntaxError {
    std::string message;
};

/// Parses all of `text` as one expression (a bare tuple `a, b` included).
Expr parse_expression(std::string_view text);
/// Parses `TARGETS in EXPRESSION`, the header of a for loop.
void parse_for(std::string_view text, Target& target, Expr& iterable);
/// Parses `TARGETS = EXPRESSION` or `NAME op= EXPRESSION`; `augmented` is false for plain `=`.
void parse_assignment(std::string_view text, Target& target, bool& augmented, BinaryOp& op,
                      Expr& value);
/// Collects the names a target binds.
void target_names(const Target& target, std::vector<std::string>& names);

struct Frame {
    std::vector<Value> slots;
    Frame* parent = nullptr;
};

struct Globals {
    const std::vector<Value>* values;
    const std::vector<std::string>* names;
};

Value evaluate(const Expr& expr, Frame& frame, const Globals& globals);
/// The bound value a name expression refers to, without a copy; nullptr for other expressions
/// and unbound names (evaluate() then raises the right error).
const Value* peek(const Expr& expr, Frame& frame, const Globals& globals) noexcept;
void assign(const Target& target, const Value& value, Frame& frame);
Value load(const Ref& ref, std::string_view name, Frame& frame, const Globals& globals);

}  // namespace typhoon::templates::detail

#endif
