#ifndef TYPHOON_TEMPLATE_SRC_EXPRESSION_HPP
#define TYPHOON_TEMPLATE_SRC_EXPRESSION_HPP

// Python expressions as a tree, parsed once when a template is loaded, and their evaluation.
// Config files (typhoon::options) read another subset of Python, with a parser of their own:
// assignment statements of literals and arithmetic, typed as the options they set; neither
// library may depend on the other, and neither needs the other's half.

#include "value.hpp"

#include <atomic>
#include <cstdint>
#include <cstring>
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

/// Whether two keys are equal: inline word compares for keys of up to 8 bytes.
inline bool same_key(std::string_view a, std::string_view b) noexcept {
    const std::size_t size = b.size();
    if (a.size() != size) return false;
    if (size >= 4 && size <= 8) {  // two overlapping words
        std::uint32_t a1, a2, b1, b2;
        std::memcpy(&a1, a.data(), 4);
        std::memcpy(&b1, b.data(), 4);
        std::memcpy(&a2, a.data() + size - 4, 4);
        std::memcpy(&b2, b.data() + size - 4, 4);
        return ((a1 ^ b1) | (a2 ^ b2)) == 0;
    }
    if (size < 4)  // first, middle and last cover up to 3 bytes
        return size == 0 ||
               (a[0] == b[0] && a[size / 2] == b[size / 2] && a[size - 1] == b[size - 1]);
    return std::memcmp(a.data(), b.data(), size) == 0;
}

/// find_key() without trying the hint first; remembers where it found `key`.
const boost::json::value* find_key_unhinted(const boost::json::object& object, std::string_view key,
                                            const KeyHint& hint) noexcept;

/// find_key() trying `hint` first, and remembering where it found `key`.
inline const boost::json::value* find_key(const boost::json::object& object, std::string_view key,
                                          const KeyHint& hint) noexcept {
    const std::uint32_t last = hint.index.load(std::memory_order_relaxed);
    if (last < object.size()) {
        const boost::json::key_value_pair& member = object.begin()[last];
        const auto k = member.key();
        if (same_key(std::string_view(k.data(), k.size()), key)) return &member.value();
    }
    return find_key_unhinted(object, key, hint);
}

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
    // Tests rather than a switch: locals and globals, the usual cases, take no indirect jump.
    if (e.kind != Expr::Kind::name) return nullptr;
    const Value* v = nullptr;
    if (e.ref.scope == Ref::Scope::local) {
        v = &frame.slots[e.ref.index];
    } else if (e.ref.scope == Ref::Scope::global) {
        v = &(*globals.values)[e.ref.index];
    } else if (e.ref.scope == Ref::Scope::enclosing) {
        Frame* f = &frame;
        for (std::uint16_t d = 0; d < e.ref.depth; ++d)
            f = f->parent;
        v = &f->slots[e.ref.index];
    } else {
        return nullptr;
    }
    return v->is(Value::Kind::unbound) ? nullptr : v;
}
void assign(const Target& target, const Value& value, Frame& frame);
Value load(const Ref& ref, std::string_view name, Frame& frame, const Globals& globals);

}  // namespace typhoon::templates::detail

#endif
