#ifndef TYPHOON_HTTP_HEADERS_HPP
#define TYPHOON_HTTP_HEADERS_HPP

#include <cstddef>
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
    /// vector (the server writes response headers this way).
    template <class F>
    void for_each(F&& f) const {
        for (std::size_t i = 0; i < fields_.size(); ++i) {
            const std::string& name = fields_[i].first;
            bool seen_before = false;
            for (std::size_t j = 0; j < i && !seen_before; ++j)
                seen_before = fields_[j].first == name;
            if (seen_before) continue;
            for (std::size_t j = i; j < fields_.size(); ++j)
                if (fields_[j].first == name)
                    f(std::string_view(name), std::string_view(fields_[j].second));
        }
    }

    /// Makes room for `count` header lines, so that adding them allocates once.
    void reserve(std::size_t count) { fields_.reserve(count); }

    /// The number of distinct names.
    std::size_t size() const noexcept;
    /// No header at all.
    bool empty() const noexcept { return fields_.empty(); }

    /** Adds one header line. A line starting with whitespace continues the previous value
        (obsolete line folding, which Tornado still reads in multipart bodies).
        @throws HTTPInputError for a line with no ':' or a continuation with nothing to continue. */
    void parse_line(std::string_view line);
    /** Parses the field lines that follow a start line; lines end in "\n" or "\r\n".
        @throws HTTPInputError as parse_line() does; the server answers 400. */
    static HTTPHeaders parse(std::string_view block);

    /// "Name: value\n" for each pair of get_all().
    std::string str() const;

private:
    std::vector<std::pair<std::string, std::string>> fields_;  // arrival order, names normalised
    std::optional<std::size_t> last_added_;                    // the field a continuation extends
};

}  // namespace typhoon::httputil

#endif
