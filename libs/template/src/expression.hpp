#ifndef TYPHOON_TEMPLATE_SRC_EXPRESSION_HPP
#define TYPHOON_TEMPLATE_SRC_EXPRESSION_HPP

// Python expressions as a tree, parsed once when a template is loaded, and their evaluation.

#include "value.hpp"

#include <atomic>
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

/** Where a key was found the last time an expression read it (rows of a list usually share
    their key order): find_key() tries that position first. Relaxed atomic, since templates
    render on several threads at once; copies start afresh. */
struct KeyHint {
    mutable std::atomic<std::uint32_t> index{0};
    KeyHint() = default;
    KeyHint(const KeyHint&) noexcept {}
    KeyHint& operator=(const KeyHint&) noexcept { return *this; }
};

/// find_key() trying `hint` first, and remembering where it found `key`.
const boost::json::value* find_key(const boost::json::object& object, std::string_view key,
                                   const KeyHint& hint) noexcept;

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
    KeyHint key_hint{};  ///< attribute, and subscript by a constant string
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
inline const Value* peek(const Expr& e, Frame& frame, const Globals& globals) noexcept {
    if (e.kind != Expr::Kind::name) return nullptr;
    const Value* v = nullptr;
    switch (e.ref.scope) {
        case Ref::Scope::local:
            v = &frame.slots[e.ref.index];
            break;
        case Ref::Scope::enclosing: {
            Frame* f = &frame;
            for (std::uint16_t d = 0; d < e.ref.depth; ++d)
                f = f->parent;
            v = &f->slots[e.ref.index];
            break;
        }
        case Ref::Scope::global:
            v = &(*globals.values)[e.ref.index];
            break;
        case Ref::Scope::unresolved:
            return nullptr;
    }
    return v->is(Value::Kind::unbound) ? nullptr : v;
}
void assign(const Target& target, const Value& value, Frame& frame);
Value load(const Ref& ref, std::string_view name, Frame& frame, const Globals& globals);

}  // namespace typhoon::templates::detail

#endif
