#ifndef TYPHOON_HTTP_HEADERS_HPP
#define TYPHOON_HTTP_HEADERS_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace typhoon::httputil {

/** Header fields of one message, matched without regard to case (tornado.httputil.HTTPHeaders).
    Names are stored in Http-Header-Case. A name may hold several values: add() appends one and
    get() joins them with ",". Read Set-Cookie with get_list(), because its values cannot be folded
    (RFC 6265 §3). */
class HTTPHeaders {
public:
    /// "content-TYPE" → "Content-Type": each '-'-separated word capitalised, the rest lowered.
    static std::string normalize_name(std::string_view name);

    /// Appends `value` to the values of `name`.
    void add(std::string_view name, std::string_view value);
    /// Replaces every value of `name` by `value` (Python's `headers[name] = value`).
    void set(std::string_view name, std::string_view value);
    /// Removes every value of `name`; returns whether there was one.
    bool remove(std::string_view name);

    /// Whether `name` has a value (Python's `name in headers`).
    bool contains(std::string_view name) const noexcept;
    /// The values of `name` joined by ",", or std::nullopt when there are none.
    std::optional<std::string> get(std::string_view name) const;
    /// get(), or `fallback` when there are no values.
    std::string get(std::string_view name, std::string_view fallback) const;
    /// Each value of `name` in arrival order. The views stay valid until `*this` changes.
    std::vector<std::string_view> get_list(std::string_view name) const;
    /// Every (name, value) pair, grouped by name in the order names first appeared, as Tornado's
    /// get_all() yields them.
    std::vector<std::pair<std::string_view, std::string_view>> get_all() const;

    /// Calls `f(name, value)` for each pair of get_all(), in the same order, without building a
    /// vector.
    template <class F>
    void for_each(F&& f) const {
        if (!maybe_scattered_) {  // every name's fields are already next to each other
            for (const Field& field : fields_)
                f(name_of(field), value_of(field));
            return;
        }
        for (const std::uint32_t i : grouped_order())
            f(name_of(fields_[i]), value_of(fields_[i]));
    }

    /** Every field as "Name: value\r\n", in get_all()'s order: what an HTTP/1 message carries
        after its start line. std::nullopt when that text cannot go out as it is: a name holds a
        colon, a name or value a line break (which would let it inject headers of its own), or a
        name's values are not next to each other (then for_each() gives the order). */
    std::optional<std::string_view> wire_lines() const;

    /// Makes room for `count` header lines, so that adding them allocates at most twice.
    void reserve(std::size_t count) {
        fields_.reserve(count);
        text_.reserve(count * 32);
    }

    /// The number of distinct names.
    std::size_t size() const;
    /// No header at all.
    bool empty() const noexcept { return fields_.empty(); }

    /** Adds one header line. A line starting with whitespace continues the previous value
        (obsolete line folding, which Tornado still reads in multipart bodies): the fold reads as
        one space, and the continuation's surrounding whitespace is dropped (RFC 9112 §5.2).
        @throws HTTPInputError for a line with no ':' or a continuation with nothing to continue. */
    void parse_line(std::string_view line);
    /** Parses the field lines that follow a start line; lines end in "\n" or "\r\n".
        @throws HTTPInputError as parse_line() does, and for a CR anywhere but just before a
        line's LF (a bare CR, RFC 9112 §2.2); the server answers 400. */
    static HTTPHeaders parse(std::string_view block);

    /// "Name: value\n" for each pair of get_all().
    std::string str() const;

private:
    // One string holds every field as its wire line, "Name: value\r\n": copying a set of headers
    // costs two allocations however many fields it has, and writing them out is one append.
    struct Field {
        std::uint32_t offset;  // of the name in text_
        std::uint32_t name_size;
        std::uint32_t value_size;
    };
    std::string_view name_of(const Field& field) const noexcept {
        return std::string_view(text_).substr(field.offset, field.name_size);
    }
    std::string_view value_of(const Field& field) const noexcept {
        return std::string_view(text_).substr(field.offset + field.name_size + 2, field.value_size);
    }
    /// The indices of fields_ in get_all()'s order, in time linear in their number however
    /// the names repeat or interleave.
    std::vector<std::uint32_t> grouped_order() const;
    std::ptrdiff_t find(std::string_view name, std::size_t from = 0) const noexcept;
    void replace_value(std::size_t index, std::string_view value);
    void append_to_value(std::size_t index, std::string_view continuation);
    /// Erases every field of `name` but the one at `keep`; returns how many went.
    std::size_t erase_fields(std::string_view name, std::size_t keep);

    std::string text_;
    std::vector<Field> fields_;                              // arrival order, names normalised
    std::size_t last_added_ = static_cast<std::size_t>(-1);  // the field a continuation extends
    bool unsafe_on_wire_ = false;  // some name holds a colon, or a name or value a line break
    // A bit per hash of the names added: a name whose bit is already set may come back after
    // another name, and only then must wire_lines() compare the names pairwise.
    std::uint64_t name_bits_ = 0;
    bool maybe_scattered_ = false;
};

}  // namespace typhoon::httputil

#endif
