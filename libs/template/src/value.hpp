#ifndef TYPHOON_TEMPLATE_SRC_VALUE_HPP
#define TYPHOON_TEMPLATE_SRC_VALUE_HPP

// The values expressions compute with: Python's None, bool, int, float, str, list, tuple, dict
// and functions, either borrowed from the template's JSON arguments (no copy) or owned.

#include <typhoon/template/namespace.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace typhoon::templates::detail {

/// A Python exception raised while evaluating: the try directive catches it, generate() turns it
/// into a TemplateError with the template, line and expression.
struct Fault {
    std::string type;
    std::string message;
    bool located = false;
    std::string filename{};
    int line = 0;
    std::string expression{};
};

[[noreturn]] void raise(std::string type, std::string message);

enum class Builtin : std::uint8_t {
    xhtml_escape,
    url_escape,
    json_encode,
    squeeze,
    linkify,
    len,
    str,
    int_,
    float_,
    bool_,
    range,
    sorted,
    enumerate,
    min,
    max,
    abs,
    round,
    list,
    dict,
    tuple,
    zip,
    reversed,
    sum,
    any,
    all,
    repr,
    isinstance_unused,
    user,
};

/// A callable: a built-in, or a Function from a Namespace.
struct Callable {
    Builtin builtin;
    std::string_view name;
    const Function* function = nullptr;
};

class Value;
using List = std::vector<Value>;

class Value {
public:
    enum class Kind : std::uint8_t {
        unbound,
        none,
        boolean,
        integer,
        floating,
        string,
        list,
        tuple,
        dict,
        function
    };

    Value() noexcept : kind_(Kind::none) {}
    static Value unbound() noexcept {
        Value v;
        v.kind_ = Kind::unbound;
        return v;
    }
    static Value boolean(bool b) noexcept {
        Value v;
        v.kind_ = Kind::boolean;
        v.i_ = b;
        return v;
    }
    static Value integer(std::int64_t i) noexcept {
        Value v;
        v.kind_ = Kind::integer;
        v.i_ = i;
        return v;
    }
    static Value floating(double d) noexcept {
        Value v;
        v.kind_ = Kind::floating;
        v.d_ = d;
        return v;
    }
    /// A string that borrows `s`; `keep` owns its storage when it is a temporary.
    static Value string_view(std::string_view s,
                             std::shared_ptr<const void> keep = nullptr) noexcept;
    static Value string(std::string s);
    static Value list(List items, bool tuple = false);
    static Value json(const boost::json::value& v,
                      const std::shared_ptr<const void>& keep = nullptr);
    static Value owned_json(boost::json::value v);
    static Value function(const Callable* c) noexcept {
        Value v;
        v.kind_ = Kind::function;
        v.f_ = c;
        return v;
    }

    Kind kind() const noexcept { return kind_; }
    bool is(Kind k) const noexcept { return kind_ == k; }
    bool is_number() const noexcept {
        return kind_ == Kind::integer || kind_ == Kind::floating || kind_ == Kind::boolean;
    }
    bool is_sequence() const noexcept { return kind_ == Kind::list || kind_ == Kind::tuple; }
    std::int64_t as_int() const noexcept { return i_; }  ///< also for booleans
    double as_float() const noexcept {
        return kind_ == Kind::floating ? d_ : static_cast<double>(i_);
    }
    std::string_view as_string() const noexcept { return s_; }
    const Callable* as_function() const noexcept { return f_; }
    const boost::json::object& as_dict() const noexcept { return *o_; }

    // Sequences (list or tuple), JSON arrays and owned vectors alike.
    std::size_t size() const noexcept { return ja_ ? ja_->size() : vl_->size(); }
    Value at(std::size_t i) const;
    /// The JSON array a list borrowed from JSON reads; nullptr for other values.
    const boost::json::array* json_array() const noexcept {
        return kind_ == Kind::list ? ja_ : nullptr;
    }

    const std::shared_ptr<const void>& keep() const noexcept { return keep_; }

private:
    Kind kind_;
    union {
        std::int64_t i_;
        double d_;
        const Callable* f_;
        const boost::json::object* o_;
    };
    std::string_view s_{};
    const boost::json::array* ja_ = nullptr;
    const List* vl_ = nullptr;
    std::shared_ptr<const void> keep_{};
};

const char* type_name(const Value& v) noexcept;
bool truthy(const Value& v) noexcept;
/// Python's str() appended to `out`.
void append_str(std::string& out, const Value& v);
void append_repr(std::string& out, const Value& v);
std::string to_str(const Value& v);
boost::json::value to_json(const Value& v);
bool equal(const Value& a, const Value& b);

enum class BinaryOp : std::uint8_t {
    add,
    sub,
    mul,
    div,
    floordiv,
    mod,
    pow,
    bitand_,
    bitor_,
    bitxor,
    lshift,
    rshift
};
enum class CompareOp : std::uint8_t { lt, le, gt, ge, eq, ne, in, not_in, is, is_not };
Value binary(BinaryOp op, const Value& a, const Value& b);
bool compare(CompareOp op, const Value& a, const Value& b);
Value negate(const Value& v);
Value invert(const Value& v);
Value positive(const Value& v);

/// a[index] and a[start:stop:step] (absent parts are unbound values).
Value subscript(const Value& a, const Value& index);
Value slice(const Value& a, const Value& start, const Value& stop, const Value& step);
/// object.if_contains(key), with an inline comparison for the small objects templates mostly read.
const boost::json::value* find_key(const boost::json::object& object,
                                   std::string_view key) noexcept;
/// a.name on a dict (key lookup, as tornado.util.ObjectDict does).
Value attribute(const Value& a, std::string_view name);

/// The items a for loop visits: list and tuple elements, dict keys, string characters.
List iterate(const Value& v);

struct Keyword {
    std::string_view name;
    Value value;
};
using Args = std::span<const Value>;
using Kwargs = std::span<const Keyword>;
Value call(const Value& callee, Args args, Kwargs kwargs);
Value call_method(const Value& self, std::string_view name, Args args, Kwargs kwargs);

/// The built-in named `name`, or nullptr.
const Callable* find_builtin(std::string_view name) noexcept;
/// Escapes as `callee(value)` would, appending to `out`, with a fast path for xhtml_escape.
void append_escaped(std::string& out, const Value& callee, std::string_view text);
/// Whether `callee` is the built-in xhtml_escape (also reached as `escape`).
inline bool is_xhtml_escape(const Value& callee) noexcept {
    return callee.is(Value::Kind::function) &&
           callee.as_function()->builtin == Builtin::xhtml_escape;
}

}  // namespace typhoon::templates::detail

#endif
