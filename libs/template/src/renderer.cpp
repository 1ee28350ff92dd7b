// The renderer: runs a compiled Program, writing the page into one buffer.
#include "program.hpp"

#include <typhoon/template/loader.hpp>

#include "format.hpp"
#include "parser.hpp"
#include "python.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/detail/xhtml_escape.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <limits>

namespace typhoon::templates::detail {

namespace {

bool exception_matches(std::string_view handler, std::string_view raised) {
    if (handler == raised || handler == "Exception") return true;
    if (handler == "LookupError") return raised == "KeyError" || raised == "IndexError";
    if (handler == "ArithmeticError")
        return raised == "ZeroDivisionError" || raised == "OverflowError";
    if (handler == "NameError") return raised == "UnboundLocalError";
    return false;
}

/** The rendered page: a std::string used as a raw buffer, written through a cursor so that short
    pieces cost a few moves instead of a std::string::append each. finish() trims it. */
class Out {
public:
    explicit Out(std::string& buffer) : buffer_(buffer) {
        buffer_.resize(std::max<std::size_t>(buffer_.capacity(), 64));
        cursor_ = buffer_.data();
        end_ = cursor_ + buffer_.size();
    }
    Out(const Out&) = delete;
    Out& operator=(const Out&) = delete;

    /// At least `n` writable bytes at the cursor.
    [[gnu::always_inline]] char* room(std::size_t n) {
        if (static_cast<std::size_t>(end_ - cursor_) < n) grow(n);
        return cursor_;
    }
    void advance_to(char* p) noexcept { cursor_ = p; }

    [[gnu::always_inline]] void write(std::string_view text) {
        const std::size_t n = text.size();
        char* p = room(n);
        const char* s = text.data();
        if (n >= 8 && n <= 16) {  // two overlapping 8-byte moves
            std::uint64_t a, b;
            std::memcpy(&a, s, 8);
            std::memcpy(&b, s + n - 8, 8);
            std::memcpy(p, &a, 8);
            std::memcpy(p + n - 8, &b, 8);
        } else if (n >= 4 && n < 8) {
            std::uint32_t a, b;
            std::memcpy(&a, s, 4);
            std::memcpy(&b, s + n - 4, 4);
            std::memcpy(p, &a, 4);
            std::memcpy(p + n - 4, &b, 4);
        } else if (n > 0 && n < 4) {
            p[0] = s[0];
            p[n / 2] = s[n / 2];
            p[n - 1] = s[n - 1];
        } else if (n > 16) {
            std::memcpy(p, s, n);
        }
        cursor_ = p + n;
    }
    [[gnu::always_inline]] void write_escaped(std::string_view text) {
        if (text.empty()) return;
        cursor_ = escape::detail::xhtml_escape_into(
            room(escape::detail::xhtml_escape_room(text.size())), text);
    }
    [[gnu::always_inline]] void write(std::string_view text, bool xhtml) {
        if (xhtml)
            write_escaped(text);
        else
            write(text);
    }
    std::size_t size() const noexcept { return static_cast<std::size_t>(cursor_ - buffer_.data()); }
    /// Trims the buffer to what was written.
    void finish() { buffer_.resize(size()); }

private:
    [[gnu::noinline]] void grow(std::size_t n) {
        const std::size_t used = size();
        buffer_.resize(std::max(buffer_.size() * 2, used + n + 64));
        cursor_ = buffer_.data() + used;
        end_ = buffer_.data() + buffer_.size();
    }

    std::string& buffer_;
    char* cursor_;
    char* end_;
};

enum class Flow : std::uint8_t { normal, break_, continue_ };

class Renderer {
public:
    Renderer(const Program& program, const Namespace* names, const Namespace* loader_names)
        : names_(names), loader_names_(loader_names) {
        (void)program;
    }

    const Namespace* names_;
    const Namespace* loader_names_;
    Globals globals{};
    mutable std::string scratch_{};

    Flow exec(const std::vector<Stmt>& stmts, Frame& frame, Out& out) {
        for (const Stmt& s : stmts) {
            if (s.kind == Stmt::Kind::text) {
                out.write(s.text);
                continue;
            }
            Flow flow = Flow::normal;
            try {
                flow = exec(s, frame, out);
            } catch (Fault& fault) {
                if (!fault.located) {
                    fault.located = true;
                    fault.filename = s.file;
                    fault.line = s.line;
                    fault.expression = s.source;
                }
                throw;
            }
            if (flow != Flow::normal) return flow;
        }
        return Flow::normal;
    }

private:
    Flow exec(const Stmt& s, Frame& frame, Out& out) {
        switch (s.kind) {
            case Stmt::Kind::text:
                out.write(s.text);
                return Flow::normal;
            case Stmt::Kind::output: {
                // Most of a page is names, keys, choices, joins and number formats written with
                // xhtml_escape (or raw): those go straight into the output, without Values.
                bool xhtml = false;
                if (s.has_escape) {
                    const Value* escape = peek(s.escape, frame, globals);
                    xhtml = escape && is_xhtml_escape(*escape);
                }
                if (s.direct != Stmt::Direct::none && (xhtml || !s.has_escape) &&
                    direct_output(s, frame, out, xhtml))
                    return Flow::normal;
                scratch_.clear();
                if (s.expr.kind == Expr::Kind::binary && s.expr.op == BinaryOp::mod &&
                    s.expr.children[0].kind == Expr::Kind::constant &&
                    s.expr.children[0].constant.is(Value::Kind::string)) {
                    // {{ "..." % x }}: format into a reused buffer instead of a new string.
                    const Value operand = evaluate(s.expr.children[1], frame, globals);
                    printf_format_to(scratch_, s.expr.children[0].constant.as_string(), operand);
                } else {
                    const Value v = evaluate(s.expr, frame, globals);
                    append_str(scratch_, v);
                }
                if (!s.has_escape) {
                    out.write(scratch_);
                    return Flow::normal;
                }
                if (xhtml) {
                    out.write_escaped(scratch_);
                    return Flow::normal;
                }
                std::string escaped;
                if (const Value* escape = peek(s.escape, frame, globals))
                    append_escaped(escaped, *escape, scratch_);
                else
                    append_escaped(escaped, evaluate(s.escape, frame, globals), scratch_);
                out.write(escaped);
                return Flow::normal;
            }
            case Stmt::Kind::module: {
                const Namespace::Entry* entry = names_ ? names_->find_module(s.text) : nullptr;
                if (!entry && loader_names_) entry = loader_names_->find_module(s.text);
                if (!entry)
                    raise("NameError", "no UI module named '" + s.text +
                                           "' (modules come from the web application)");
                std::vector<Value> args;
                std::vector<Keyword> kwargs;
                const std::size_t positional_end = s.expr.children.size() - s.expr.keywords.size();
                for (std::size_t i = 1; i < positional_end; ++i)
                    args.push_back(evaluate(s.expr.children[i], frame, globals));
                for (std::size_t k = 0; k < s.expr.keywords.size(); ++k)
                    kwargs.push_back(
                        {s.expr.keywords[k],
                         evaluate(s.expr.children[positional_end + k], frame, globals)});
                const Callable callable{Builtin::user, entry->name, &entry->function};
                std::string text;
                append_str(text, call(Value::function(&callable), args, kwargs));
                out.write(text);
                return Flow::normal;
            }
            case Stmt::Kind::assign: {
                Value v = evaluate(s.expr, frame, globals);
                if (s.augmented)
                    v = binary(s.op, load(s.target.ref, s.target.name, frame, globals), v);
                assign(s.target, v, frame);
                return Flow::normal;
            }
            case Stmt::Kind::if_:
                for (const Branch& b : s.branches)
                    if (truthy(evaluate(b.condition, frame, globals)))
                        return exec(b.body, frame, out);
                return exec(s.orelse, frame, out);
            case Stmt::Kind::for_: {
                const Value iterable = evaluate(s.expr, frame, globals);
                if (iterable
                        .is_sequence()) {  // no copy of the items: the iterable keeps them alive
                    const bool simple =
                        !s.target.is_tuple && s.target.ref.scope == Ref::Scope::local;
                    for (std::size_t i = 0; i < iterable.size(); ++i) {
                        if (simple)
                            frame.slots[s.target.ref.index] = iterable.at(i);
                        else
                            assign(s.target, iterable.at(i), frame);
                        if (exec(s.body, frame, out) == Flow::break_) return Flow::normal;
                    }
                    return exec(s.orelse, frame, out);
                }
                const List items = iterate(iterable);
                for (const Value& item : items) {
                    assign(s.target, item, frame);
                    if (exec(s.body, frame, out) == Flow::break_) return Flow::normal;
                }
                return exec(s.orelse, frame, out);
            }
            case Stmt::Kind::while_: {
                std::size_t iterations = 0;
                while (truthy(evaluate(s.expr, frame, globals))) {
                    if (++iterations > 100'000'000)
                        raise("RuntimeError", "while loop ran too long");
                    if (exec(s.body, frame, out) == Flow::break_) return Flow::normal;
                }
                return exec(s.orelse, frame, out);
            }
            case Stmt::Kind::try_:
                return exec_try(s, frame, out);
            case Stmt::Kind::break_:
                return Flow::break_;
            case Stmt::Kind::continue_:
                return Flow::continue_;
            case Stmt::Kind::apply: {
                Frame inner{std::vector<Value>(s.frame_size, Value::unbound()), &frame};
                std::string buffer;
                {
                    Out body_out(buffer);
                    exec(s.body, inner, body_out);
                    body_out.finish();
                }
                const Value method = evaluate(s.expr, frame, globals);
                const Value body = Value::string(std::move(buffer));
                const Value result = call(method, Args(&body, 1), {});
                if (!result.is(Value::Kind::string))
                    raise("TypeError",
                          std::string("Expected bytes, unicode, or None; got <class '") +
                              type_name(result) + "'>");
                out.write(result.as_string());
                return Flow::normal;
            }
        }
        return Flow::normal;
    }

    // ---- direct output: expressions rendered without building Values ----
    // Each helper only reads (names, keys, constants), so when one gives up (returns false or
    // nullptr) the general path evaluates the expression again and raises the right error.

    /// The JSON value a chain `name.key["key"]...` reads from dict arguments; nullptr for other
    /// expressions and missing keys.
    const boost::json::value* json_chain(const Expr& e, Frame& frame) const noexcept {
        std::string_view key;
        if (e.kind == Expr::Kind::attribute)
            key = e.name;
        else if (e.kind == Expr::Kind::subscript && e.children[1].kind == Expr::Kind::constant &&
                 e.children[1].constant.is(Value::Kind::string))
            key = e.children[1].constant.as_string();
        else
            return nullptr;
        const Expr& base = e.children[0];
        if (base.kind == Expr::Kind::name) {
            const Value* object = peek(base, frame, globals);
            if (!object || !object->is(Value::Kind::dict)) return nullptr;
            return find_key(object->as_dict(), key, e.key_hint);
        }
        const boost::json::value* object = json_chain(base, frame);
        if (!object || !object->is_object()) return nullptr;
        return find_key(object->get_object(), key, e.key_hint);
    }

    /// Python's truth of `e`: 1 or 0, or -1 when it takes the general path.
    int direct_truth(const Expr& e, Frame& frame) const noexcept {
        if (e.kind == Expr::Kind::name) {
            const Value* v = peek(e, frame, globals);
            return v ? truthy(*v) : -1;
        }
        if (e.kind == Expr::Kind::not_) {
            const int t = direct_truth(e.children[0], frame);
            return t < 0 ? t : !t;
        }
        const boost::json::value* j = json_chain(e, frame);
        if (!j) return -1;
        switch (j->kind()) {
            case boost::json::kind::null:
                return 0;
            case boost::json::kind::bool_:
                return j->get_bool();
            case boost::json::kind::int64:
                return j->get_int64() != 0;
            case boost::json::kind::uint64:  // beyond int64 Value::json raises OverflowError
                return j->get_uint64() >
                               static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                           ? -1
                           : j->get_uint64() != 0;
            case boost::json::kind::double_:
                return j->get_double() != 0.0;
            case boost::json::kind::string:
                return !j->get_string().empty();
            case boost::json::kind::array:
                return !j->get_array().empty();
            case boost::json::kind::object:
                return !j->get_object().empty();
        }
        return -1;
    }

    /// str(`e`) when it is a string, an int or a bool read directly; false otherwise.
    bool direct_text(const Expr& e, Frame& frame, std::array<char, 24>& buffer,
                     std::string_view& text) const noexcept {
        auto integer = [&](std::int64_t i) {
            const auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), i);
            text = std::string_view(buffer.data(), static_cast<std::size_t>(r.ptr - buffer.data()));
            return true;
        };
        // Tests, most frequent kinds first.
        if (e.kind == Expr::Kind::attribute || e.kind == Expr::Kind::subscript) {
            const boost::json::value* j = json_chain(e, frame);
            if (!j) return false;
            if (j->is_string()) {
                text = std::string_view(j->get_string().data(), j->get_string().size());
                return true;
            }
            if (j->is_int64()) return integer(j->get_int64());
            if (j->is_bool()) {
                text = j->get_bool() ? "True" : "False";
                return true;
            }
            return false;
        }
        if (e.kind == Expr::Kind::name) {
            const Value* v = peek(e, frame, globals);
            if (!v) return false;
            if (v->is(Value::Kind::string)) {
                text = v->as_string();
                return true;
            }
            if (v->is(Value::Kind::integer)) return integer(v->as_int());
            if (v->is(Value::Kind::boolean)) {
                text = v->as_int() ? "True" : "False";
                return true;
            }
            return false;
        }
        if (e.kind == Expr::Kind::ternary) {
            const int t = direct_truth(e.children[0], frame);
            if (t < 0) return false;
            return direct_text(e.children[t ? 1 : 2], frame, buffer, text);
        }
        if (e.kind == Expr::Kind::constant && e.constant.is(Value::Kind::string)) {
            text = e.constant.as_string();
            return true;
        }
        return false;
    }

    /// A number read directly by `e`, for "%f" formats.
    bool direct_number(const Expr& e, Frame& frame, double& number) const noexcept {
        if (e.kind == Expr::Kind::name) {
            const Value* v = peek(e, frame, globals);
            if (!v || !(v->is(Value::Kind::floating) || v->is(Value::Kind::integer))) return false;
            number = v->as_float();
            return true;
        }
        const boost::json::value* j = json_chain(e, frame);
        if (!j) return false;
        if (j->is_double())
            number = j->get_double();
        else if (j->is_int64())
            number = static_cast<double>(j->get_int64());
        else
            return false;
        return true;
    }

    /// Writes `e` (escaped when `xhtml`) when it is one of the shapes above, `"..%.Nf.." % number`
    /// or `"sep".join(list of strings)`; false, with nothing written, otherwise.
    bool direct_output(const Stmt& s, Frame& frame, Out& out, bool xhtml) const {
        const Expr& e = s.expr;
        if (s.direct == Stmt::Direct::text) {
            std::array<char, 24> buffer;
            std::string_view text;
            if (!direct_text(e, frame, buffer, text)) return false;
            out.write(text, xhtml && text.data() != buffer.data());  // digits need no escaping
            return true;
        }
        if (s.direct == Stmt::Direct::percent) {
            double number = 0;
            if (!direct_number(e.children[1], frame, number)) return false;
            std::array<char, 32> digits;
            const char* digits_end = fixed_into(digits.data(), number, s.precision);
            if (!digits_end) return false;
            out.write(s.prefix, xhtml);
            // digits, '.' and '-' need no escaping
            out.write(std::string_view(digits.data(),
                                       static_cast<std::size_t>(digits_end - digits.data())));
            out.write(s.suffix, xhtml);
            return true;
        }
        if (s.direct == Stmt::Direct::join) {
            const boost::json::array* items = nullptr;
            if (e.children[1].kind == Expr::Kind::name) {
                if (const Value* v = peek(e.children[1], frame, globals)) items = v->json_array();
            } else if (const boost::json::value* j = json_chain(e.children[1], frame)) {
                items = j->if_array();
            }
            if (!items) return false;
            for (const boost::json::value& item : *items)
                if (!item.is_string()) return false;
            // xhtml_escape works character by character: escaping the pieces is escaping
            // the joined string.
            const std::string_view separator = e.children[0].constant.as_string();
            bool first = true;
            for (const boost::json::value& item : *items) {
                if (!first) out.write(separator, xhtml);
                first = false;
                out.write(std::string_view(item.get_string().data(), item.get_string().size()),
                          xhtml);
            }
            return true;
        }
        return false;
    }

    Flow exec_try(const Stmt& s, Frame& frame, Out& out) {
        Flow result = Flow::normal;
        std::exception_ptr pending;
        try {
            bool raised = false;
            try {
                result = exec(s.body, frame, out);
            } catch (const Fault& fault) {
                const Handler* handler = nullptr;
                for (const Handler& h : s.handlers) {
                    if (h.types.empty() ||
                        std::any_of(h.types.begin(), h.types.end(), [&](const std::string& t) {
                            return exception_matches(t, fault.type);
                        })) {
                        handler = &h;
                        break;
                    }
                }
                if (!handler) throw;
                raised = true;
                result = exec(handler->body, frame, out);
            }
            if (!raised && result == Flow::normal) result = exec(s.orelse, frame, out);
        } catch (...) {
            if (s.finally_body.empty()) throw;
            pending = std::current_exception();
        }
        if (!s.finally_body.empty()) {
            const Flow f = exec(s.finally_body, frame, out);
            if (f != Flow::normal) return f;
        }
        if (pending) std::rethrow_exception(pending);
        return result;
    }
};

}  // namespace

void render(const TemplateImpl& self, const boost::json::object& args, const Namespace& names,
            std::string& out) {
    const Program& program = self.program;
    const Namespace* loader_names = self.loader ? &self.loader->options().names : nullptr;
    Renderer renderer(program, &names, loader_names);

    std::vector<Value> globals;
    std::vector<Callable> callables;
    globals.reserve(program.globals.size());
    callables.reserve(program.globals.size());
    for (const std::string& name : program.globals) {
        if (const auto* found = args.if_contains(name)) {
            globals.push_back(Value::json(*found));
            continue;
        }
        const Namespace::Entry* entry = names.find(name);
        if (!entry && loader_names) entry = loader_names->find(name);
        if (entry) {
            if (entry->function) {
                callables.push_back({Builtin::user, entry->name, &entry->function});
                globals.push_back(Value::function(&callables.back()));
            } else {
                globals.push_back(Value::json(entry->value));
            }
            continue;
        }
        if (const Callable* builtin = find_builtin(name))
            globals.push_back(Value::function(builtin));
        else
            globals.push_back(Value::unbound());
    }
    renderer.globals = {&globals, &program.globals};
    Frame frame{std::vector<Value>(program.frame_size, Value::unbound()), nullptr};
    Out writer(out);
    renderer.exec(program.body, frame, writer);
    writer.finish();
}

}  // namespace typhoon::templates::detail
