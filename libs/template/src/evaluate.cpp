#include "expression.hpp"

#include <boost/container/small_vector.hpp>

// Evaluation of the expression trees expression.cpp parses.
namespace typhoon::templates::detail {

namespace {

Value lookup_name(const Ref& ref, std::string_view name, Frame& frame, const Globals& globals) {
    switch (ref.scope) {
        case Ref::Scope::local: {
            const Value& v = frame.slots[ref.index];
            if (v.is(Value::Kind::unbound))
                raise("UnboundLocalError", "cannot access local variable '" + std::string(name) +
                                               "' where it is not associated with a value");
            return v;
        }
        case Ref::Scope::enclosing: {
            Frame* f = &frame;
            for (std::uint16_t d = 0; d < ref.depth; ++d)
                f = f->parent;
            const Value& v = f->slots[ref.index];
            if (v.is(Value::Kind::unbound))
                raise("NameError",
                      "cannot access free variable '" + std::string(name) +
                          "' where it is not associated with a value in enclosing scope");
            return v;
        }
        case Ref::Scope::global: {
            const Value& v = (*globals.values)[ref.index];
            if (v.is(Value::Kind::unbound))
                raise("NameError", "name '" + std::string(name) + "' is not defined");
            return v;
        }
        case Ref::Scope::unresolved:
            break;
    }
    raise("NameError", "name '" + std::string(name) + "' is not defined");
}

void store(const Ref& ref, Frame& frame, Value value) {
    Frame* f = &frame;
    if (ref.scope == Ref::Scope::enclosing)
        for (std::uint16_t d = 0; d < ref.depth; ++d)
            f = f->parent;
    f->slots[ref.index] = std::move(value);
}

using ArgumentBuffer = boost::container::small_vector<Value, 4>;
using KeywordBuffer = boost::container::small_vector<Keyword, 2>;

void evaluate_call_arguments(const Expr& e, std::size_t first, Frame& frame, const Globals& globals,
                             ArgumentBuffer& args, KeywordBuffer& kwargs) {
    const std::size_t positional_end = e.children.size() - e.keywords.size();
    args.reserve(positional_end - first);
    for (std::size_t i = first; i < positional_end; ++i)
        args.push_back(evaluate(e.children[i], frame, globals));
    for (std::size_t k = 0; k < e.keywords.size(); ++k)
        kwargs.push_back({e.keywords[k], evaluate(e.children[positional_end + k], frame, globals)});
}

}  // namespace

Value load(const Ref& ref, std::string_view name, Frame& frame, const Globals& globals) {
    return lookup_name(ref, name, frame, globals);
}

void assign(const Target& target, const Value& value, Frame& frame) {
    if (!target.is_tuple) {
        store(target.ref, frame, value);
        return;
    }
    if (value.is_sequence()) {
        const std::size_t n = value.size();
        if (n != target.elements.size()) {
            if (n > target.elements.size())
                raise("ValueError", "too many values to unpack (expected " +
                                        std::to_string(target.elements.size()) + ")");
            raise("ValueError", "not enough values to unpack (expected " +
                                    std::to_string(target.elements.size()) + ", got " +
                                    std::to_string(n) + ")");
        }
        for (std::size_t i = 0; i < n; ++i)
            assign(target.elements[i], value.at(i), frame);
        return;
    }
    const List items = iterate(value);
    if (items.size() != target.elements.size()) {
        if (items.size() > target.elements.size())
            raise("ValueError", "too many values to unpack (expected " +
                                    std::to_string(target.elements.size()) + ")");
        raise("ValueError", "not enough values to unpack (expected " +
                                std::to_string(target.elements.size()) + ", got " +
                                std::to_string(items.size()) + ")");
    }
    for (std::size_t i = 0; i < items.size(); ++i)
        assign(target.elements[i], items[i], frame);
}

Value evaluate(const Expr& e, Frame& frame, const Globals& globals) {
    switch (e.kind) {
        case Expr::Kind::constant:
            // The program outlives the render, so a string constant is lent, not shared.
            if (e.constant.is(Value::Kind::string))
                return Value::string_view(e.constant.as_string());
            return e.constant;
        case Expr::Kind::name:
            return lookup_name(e.ref, e.name, frame, globals);
        case Expr::Kind::attribute:
            if (const Value* object = peek(e.children[0], frame, globals)) {
                if (object->is(Value::Kind::dict))
                    if (const auto* found = find_key(object->as_dict(), e.name, e.key_hint))
                        return Value::json(*found, object->keep());
                return attribute(*object, e.name);
            }
            return attribute(evaluate(e.children[0], frame, globals), e.name);
        case Expr::Kind::subscript:
            if (const Value* object = peek(e.children[0], frame, globals))
                return subscript(*object, evaluate(e.children[1], frame, globals));
            return subscript(evaluate(e.children[0], frame, globals),
                             evaluate(e.children[1], frame, globals));
        case Expr::Kind::slice:
            return slice(
                evaluate(e.children[0], frame, globals), evaluate(e.children[1], frame, globals),
                evaluate(e.children[2], frame, globals), evaluate(e.children[3], frame, globals));
        case Expr::Kind::list:
        case Expr::Kind::tuple: {
            List items;
            items.reserve(e.children.size());
            for (const auto& c : e.children)
                items.push_back(evaluate(c, frame, globals));
            return Value::list(std::move(items), e.kind == Expr::Kind::tuple);
        }
        case Expr::Kind::dict: {
            boost::json::object object;
            for (std::size_t i = 0; i + 1 < e.children.size(); i += 2) {
                const Value key = evaluate(e.children[i], frame, globals);
                if (!key.is(Value::Kind::string))
                    raise("TypeError", "dict keys must be strings in Typhoon templates");
                object[key.as_string()] = to_json(evaluate(e.children[i + 1], frame, globals));
            }
            return Value::owned_json(std::move(object));
        }
        case Expr::Kind::call: {
            const Value callee = evaluate(e.children[0], frame, globals);
            ArgumentBuffer args;
            KeywordBuffer kwargs;
            evaluate_call_arguments(e, 1, frame, globals, args, kwargs);
            return call(callee, Args(args.data(), args.size()),
                        Kwargs(kwargs.data(), kwargs.size()));
        }
        case Expr::Kind::method_call: {
            const Value* peeked = peek(e.children[0], frame, globals);
            Value evaluated;
            if (!peeked) evaluated = evaluate(e.children[0], frame, globals);
            ArgumentBuffer args;
            KeywordBuffer kwargs;
            evaluate_call_arguments(e, 1, frame, globals, args, kwargs);
            return call_method(peeked ? *peeked : evaluated, e.name, Args(args.data(), args.size()),
                               Kwargs(kwargs.data(), kwargs.size()));
        }
        case Expr::Kind::not_:
            return Value::boolean(!truthy(evaluate(e.children[0], frame, globals)));
        case Expr::Kind::neg:
            return negate(evaluate(e.children[0], frame, globals));
        case Expr::Kind::pos:
            return positive(evaluate(e.children[0], frame, globals));
        case Expr::Kind::invert:
            return invert(evaluate(e.children[0], frame, globals));
        case Expr::Kind::binary:
            return binary(e.op, evaluate(e.children[0], frame, globals),
                          evaluate(e.children[1], frame, globals));
        case Expr::Kind::compare: {
            Value left = evaluate(e.children[0], frame, globals);
            for (std::size_t i = 0; i < e.compare_ops.size(); ++i) {
                Value right = evaluate(e.children[i + 1], frame, globals);
                if (!compare(e.compare_ops[i], left, right)) return Value::boolean(false);
                left = std::move(right);
            }
            return Value::boolean(true);
        }
        case Expr::Kind::and_:
        case Expr::Kind::or_: {
            const bool stop_when = e.kind == Expr::Kind::or_;
            Value v;
            for (const auto& c : e.children) {
                v = evaluate(c, frame, globals);
                if (truthy(v) == stop_when) return v;
            }
            return v;
        }
        case Expr::Kind::ternary:
            return truthy(evaluate(e.children[0], frame, globals))
                       ? evaluate(e.children[1], frame, globals)
                       : evaluate(e.children[2], frame, globals);
        case Expr::Kind::comprehension: {
            const List items = iterate(evaluate(e.children[1], frame, globals));
            Frame inner{std::vector<Value>(e.frame_size, Value::unbound()), &frame};
            List out;
            for (const Value& item : items) {
                assign(e.target, item, inner);
                bool keep = true;
                for (std::size_t c = 2; c < e.children.size() && keep; ++c)
                    keep = truthy(evaluate(e.children[c], inner, globals));
                if (keep) out.push_back(evaluate(e.children[0], inner, globals));
            }
            return Value::list(std::move(out));
        }
    }
    return Value();
}

}  // namespace typhoon::templates::detail
