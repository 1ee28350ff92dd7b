#include <typhoon/http/headers.hpp>

#include <typhoon/http/http_input_error.hpp>

#include <typhoon/core/detail/strings.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace typhoon::httputil {

namespace {

char lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool same_name(std::string_view a, std::string_view b) noexcept {
    // Names are stored normalised and usually asked for that way: compare bytes first.
    return a.size() == b.size() &&
           (a == b || std::equal(a.begin(), a.end(), b.begin(),
                                 [](char x, char y) { return lower(x) == lower(y); }));
}

/// "content-TYPE" → "Content-Type", in place. One pass, few branches: this runs for every header
/// of every request and response.
void normalize_in_place(char* name, std::size_t size) noexcept {
    bool word_start = true;
    for (char* c = name; c != name + size; ++c) {
        if (word_start && *c >= 'a' && *c <= 'z')
            *c = static_cast<char>(*c - 'a' + 'A');
        else if (!word_start && *c >= 'A' && *c <= 'Z')
            *c = static_cast<char>(*c - 'A' + 'a');
        word_start = *c == '-';
    }
}

/// Whether `text` holds a byte that would break the header's line on the wire: CR or LF, and in a
/// name also the colon. Eight bytes at a time: a byte-wise loop cost more than the rest of add().
bool unsafe_on_wire(std::string_view text, bool is_name) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101U, highs = 0x8080808080808080U;
    // Exact for "some byte of `word` equals `byte`", though not for which one.
    const auto holds = [](std::uint64_t word, unsigned char byte) {
        const std::uint64_t x = word ^ (ones * byte);
        return (x - ones) & ~x & highs;
    };
    std::uint64_t found = 0;
    std::size_t i = 0;
    const auto scan = [&](std::uint64_t word) {
        found |= holds(word, '\r') | holds(word, '\n') | (is_name ? holds(word, ':') : 0);
    };
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        scan(word);
    }
    if (i < text.size()) {
        std::uint64_t word = 0;  // padded with NULs, which are none of the bytes looked for
        std::memcpy(&word, text.data() + i, text.size() - i);
        scan(word);
    }
    return found != 0;
}

std::uint32_t checked_size(std::size_t size) {
    if (size > 0xffff'ffffU) throw std::length_error("header over 4 GiB");
    return static_cast<std::uint32_t>(size);
}

constexpr std::size_t no_field = static_cast<std::size_t>(-1);

}  // namespace

std::string HTTPHeaders::normalize_name(std::string_view name) {
    std::string out(name);
    normalize_in_place(out.data(), out.size());
    return out;
}

void HTTPHeaders::add(std::string_view name, std::string_view value) {
    if (fields_.capacity() == 0) reserve(8);  // a usual set of headers: two allocations in all
    const auto offset = checked_size(text_.size());
    const Field field{offset, checked_size(name.size()), checked_size(value.size())};
    checked_size(text_.size() + name.size() + value.size() + 4);
    text_.append(name);
    normalize_in_place(text_.data() + offset, name.size());
    text_.append(": ", 2);
    text_.append(value);
    text_.append("\r\n", 2);
    unsafe_on_wire_ = unsafe_on_wire_ || unsafe_on_wire(name, true) || unsafe_on_wire(value, false);
    const std::string_view stored = name_of(field);
    const std::size_t hash = stored.empty()
                                 ? 0
                                 : stored.size() * 7 + static_cast<unsigned char>(stored.front()) +
                                       static_cast<unsigned char>(stored.back()) * 3;
    const std::uint64_t bit = std::uint64_t{1} << (hash & 63);
    if ((name_bits_ & bit) != 0 && (fields_.empty() || name_of(fields_.back()) != stored))
        maybe_scattered_ = true;
    name_bits_ |= bit;
    fields_.push_back(field);
    last_added_ = fields_.size() - 1;
}

std::ptrdiff_t HTTPHeaders::find(std::string_view name, std::size_t from) const noexcept {
    const char first = name.empty() ? '\0' : lower(name.front());
    for (std::size_t i = from; i < fields_.size(); ++i) {
        const Field& field = fields_[i];
        // Lengths, then first letters, tell most names apart before a call to compare them.
        if (field.name_size == name.size() &&
            (name.empty() ||
             (lower(text_[field.offset]) == first && same_name(name_of(field), name))))
            return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
}

void HTTPHeaders::replace_value(std::size_t index, std::string_view value) {
    Field& field = fields_[index];
    checked_size(text_.size() - field.value_size + value.size());
    text_.replace(field.offset + field.name_size + 2, field.value_size, value);
    const auto grown = static_cast<std::uint32_t>(value.size() - field.value_size);  // mod 2^32
    field.value_size = static_cast<std::uint32_t>(value.size());
    for (std::size_t i = index + 1; i < fields_.size(); ++i)
        fields_[i].offset += grown;
    unsafe_on_wire_ = unsafe_on_wire_ || unsafe_on_wire(value, false);
}

void HTTPHeaders::append_to_value(std::size_t index, std::string_view continuation) {
    const bool separated = fields_[index].value_size != 0;
    if (index + 1 != fields_.size()) {  // not the last line: rebuild the value in its place
        std::string joined(value_of(fields_[index]));
        if (separated) joined += ' ';
        joined += continuation;
        replace_value(index, joined);
        return;
    }
    // The last line, as each line of a parsed block is: extend it where it ends, so that many
    // continuation lines cost time linear in their length, not in its square.
    Field& field = fields_[index];
    const std::size_t separator = separated ? 1 : 0;
    const auto grown = checked_size(field.value_size + separator + continuation.size());
    checked_size(text_.size() + separator + continuation.size());
    text_.resize(text_.size() - 2);  // the line's CRLF
    if (separated) text_ += ' ';
    text_ += continuation;
    text_.append("\r\n", 2);
    field.value_size = grown;
    unsafe_on_wire_ = unsafe_on_wire_ || unsafe_on_wire(continuation, false);
}

std::size_t HTTPHeaders::erase_fields(std::string_view name, std::size_t keep) {
    // One pass that slides the kept lines down over the dropped ones: erasing the fields one by
    // one moved the rest of the text each time, quadratic when a name repeats among others.
    std::size_t kept = 0, end = 0;
    std::size_t last_added = no_field;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        Field field = fields_[i];
        if (i != keep && field.name_size == name.size() && same_name(name_of(field), name))
            continue;
        const std::size_t line_size = field.name_size + field.value_size + 4;
        if (end != field.offset)
            std::memmove(text_.data() + end, text_.data() + field.offset, line_size);
        field.offset = static_cast<std::uint32_t>(end);
        end += line_size;
        if (i == last_added_) last_added = kept;
        fields_[kept++] = field;
    }
    const std::size_t erased = fields_.size() - kept;
    text_.resize(end);
    fields_.resize(kept);
    last_added_ = last_added;
    return erased;
}

void HTTPHeaders::set(std::string_view name, std::string_view value) {
    const auto first = find(name);
    if (first < 0) {
        add(name, value);
        return;
    }
    const auto kept = static_cast<std::size_t>(first);
    erase_fields(name, kept);  // the fields before the first are not moved, so it stays at kept
    replace_value(kept, value);
    last_added_ = kept;
}

bool HTTPHeaders::remove(std::string_view name) {
    if (erase_fields(name, no_field) == 0) return false;
    last_added_ = no_field;
    return true;
}

bool HTTPHeaders::contains(std::string_view name) const noexcept {
    return find(name) >= 0;
}

std::optional<std::string> HTTPHeaders::get(std::string_view name) const {
    auto at = find(name);
    if (at < 0) return std::nullopt;
    std::optional<std::string> joined(std::in_place,
                                      value_of(fields_[static_cast<std::size_t>(at)]));
    while ((at = find(name, static_cast<std::size_t>(at) + 1)) >= 0) {
        *joined += ',';
        *joined += value_of(fields_[static_cast<std::size_t>(at)]);
    }
    return joined;
}

std::string HTTPHeaders::get(std::string_view name, std::string_view fallback) const {
    auto value = get(name);
    return value ? std::move(*value) : std::string(fallback);
}

std::vector<std::string_view> HTTPHeaders::get_list(std::string_view name) const {
    std::vector<std::string_view> values;
    for (const auto& field : fields_)
        if (field.name_size == name.size() && same_name(name_of(field), name))
            values.push_back(value_of(field));
    return values;
}

std::vector<std::uint32_t> HTTPHeaders::grouped_order() const {
    // A counting sort by the group of each name, groups numbered in order of first appearance:
    // comparing each field with every earlier one was quadratic in hostile header blocks.
    const auto count = static_cast<std::uint32_t>(fields_.size());
    std::unordered_map<std::string_view, std::uint32_t> group_of;  // names are normalised
    group_of.reserve(count);
    std::vector<std::uint32_t> group(count), starts;
    for (std::uint32_t i = 0; i < count; ++i) {
        const auto [found, added] =
            group_of.try_emplace(name_of(fields_[i]), static_cast<std::uint32_t>(starts.size()));
        if (added) starts.push_back(0);
        group[i] = found->second;
        ++starts[found->second];
    }
    std::uint32_t start = 0;
    for (auto& size : starts)
        start += std::exchange(size, start);
    std::vector<std::uint32_t> order(count);
    for (std::uint32_t i = 0; i < count; ++i)
        order[starts[group[i]]++] = i;
    return order;
}

std::vector<std::pair<std::string_view, std::string_view>> HTTPHeaders::get_all() const {
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    pairs.reserve(fields_.size());
    for_each(
        [&](std::string_view name, std::string_view value) { pairs.emplace_back(name, value); });
    return pairs;
}

std::optional<std::string_view> HTTPHeaders::wire_lines() const {
    if (unsafe_on_wire_) return std::nullopt;
    if (!maybe_scattered_) return std::string_view(text_);
    // In order unless a name comes back after another one: then for_each() regroups.
    std::unordered_set<std::string_view> seen;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        const std::string_view name = name_of(fields_[i]);
        if ((i == 0 || name != name_of(fields_[i - 1])) && !seen.insert(name).second)
            return std::nullopt;
    }
    return std::string_view(text_);
}

std::size_t HTTPHeaders::size() const {
    const auto starts_a_run = [&](std::size_t i) {
        return i == 0 || name_of(fields_[i]) != name_of(fields_[i - 1]);
    };
    if (!maybe_scattered_) {  // each name's fields are one run
        std::size_t runs = 0;
        for (std::size_t i = 0; i < fields_.size(); ++i)
            if (starts_a_run(i)) ++runs;
        return runs;
    }
    std::unordered_set<std::string_view> names;
    for (std::size_t i = 0; i < fields_.size(); ++i)
        if (starts_a_run(i)) names.insert(name_of(fields_[i]));
    return names.size();
}

void HTTPHeaders::parse_line(std::string_view line) {
    if (line.empty()) return;
    // Tornado reads header lines as str: what str.isspace() and str.strip() see as white space.
    const auto& whitespace = escape::detail::python_ascii_whitespace;
    if (whitespace.find(line.front()) != std::string_view::npos) {
        if (last_added_ == no_field)
            throw HTTPInputError("first header line cannot start with whitespace");
        // RFC 9112 §5.2: the fold reads as one space, and the value's surrounding whitespace is
        // not part of it. Tornado keeps a continuation's trailing whitespace and starts an empty
        // value with a space, so the same field written on one line read back differently.
        const std::string_view continuation = escape::detail::strip(line, whitespace);
        if (!continuation.empty()) append_to_value(last_added_, continuation);
        return;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) throw HTTPInputError("no colon in header line");
    add(line.substr(0, colon), escape::detail::strip(line.substr(colon + 1), whitespace));
}

HTTPHeaders HTTPHeaders::parse(std::string_view block) {
    HTTPHeaders headers;
    while (!block.empty()) {
        const auto newline = block.find('\n');
        std::string_view line = block.substr(0, newline);
        block.remove_prefix(newline == std::string_view::npos ? block.size() : newline + 1);
        if (newline != std::string_view::npos && !line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        // RFC 9112 §2.2: a bare CR is invalid; some parsers end a line there and some do not,
        // so letting one through would let two parsers read different headers.
        if (line.find('\r') != std::string_view::npos)
            throw HTTPInputError("bare CR in header line");
        headers.parse_line(line);
    }
    return headers;
}

std::string HTTPHeaders::str() const {
    std::string out;
    for_each([&](std::string_view name, std::string_view value) {
        out += name;
        out += ": ";
        out += value;
        out += '\n';
    });
    return out;
}

}  // namespace typhoon::httputil
