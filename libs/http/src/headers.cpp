#include <typhoon/http/headers.hpp>

#include <typhoon/http/http_input_error.hpp>

#include <algorithm>

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

/// ASCII whitespace as Python's str.strip() sees it, \x1c-\x1f included.
bool is_space(char c) noexcept {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

std::string_view strip(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

}  // namespace

std::string HTTPHeaders::normalize_name(std::string_view name) {
    std::string out(name);
    bool word_start = true;
    for (char& c : out) {
        // One pass, few branches: this runs for every header of every request and response.
        if (word_start && c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        else if (!word_start && c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        word_start = c == '-';
    }
    return out;
}

void HTTPHeaders::add(std::string_view name, std::string_view value) {
    if (fields_.capacity() == 0) fields_.reserve(8);  // one allocation for a usual set of headers
    fields_.emplace_back(normalize_name(name), std::string(value));
    last_added_ = fields_.size() - 1;
}

void HTTPHeaders::set(std::string_view name, std::string_view value) {
    const auto first = std::find_if(fields_.begin(), fields_.end(), [&](const auto& field) {
        return same_name(field.first, name);
    });
    if (first == fields_.end()) {
        add(name, value);
        return;
    }
    first->second = std::string(value);
    const auto kept = static_cast<std::size_t>(first - fields_.begin());
    std::size_t index = 0;
    std::erase_if(
        fields_, [&](const auto& field) { return index++ > kept && same_name(field.first, name); });
    last_added_ = kept;
}

bool HTTPHeaders::remove(std::string_view name) {
    const auto removed =
        std::erase_if(fields_, [&](const auto& field) { return same_name(field.first, name); });
    if (removed > 0) last_added_.reset();
    return removed > 0;
}

bool HTTPHeaders::contains(std::string_view name) const noexcept {
    return std::any_of(fields_.begin(), fields_.end(),
                       [&](const auto& field) { return same_name(field.first, name); });
}

std::optional<std::string> HTTPHeaders::get(std::string_view name) const {
    const auto same = [&](const auto& field) { return same_name(field.first, name); };
    const auto first = std::find_if(fields_.begin(), fields_.end(), same);
    if (first == fields_.end()) return std::nullopt;
    std::optional<std::string> joined(std::in_place, first->second);
    for (auto it = std::find_if(first + 1, fields_.end(), same); it != fields_.end();
         it = std::find_if(it + 1, fields_.end(), same)) {
        *joined += ',';
        *joined += it->second;
    }
    return joined;
}

std::string HTTPHeaders::get(std::string_view name, std::string_view fallback) const {
    auto value = get(name);
    return value ? std::move(*value) : std::string(fallback);
}

std::vector<std::string_view> HTTPHeaders::get_list(std::string_view name) const {
    std::vector<std::string_view> values;
    for (const auto& [field_name, value] : fields_)
        if (same_name(field_name, name)) values.emplace_back(value);
    return values;
}

std::vector<std::pair<std::string_view, std::string_view>> HTTPHeaders::get_all() const {
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    pairs.reserve(fields_.size());
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        const std::string& name = fields_[i].first;
        const bool seen_before =
            std::any_of(fields_.begin(), fields_.begin() + static_cast<std::ptrdiff_t>(i),
                        [&](const auto& field) { return field.first == name; });
        if (seen_before) continue;
        for (std::size_t j = i; j < fields_.size(); ++j)
            if (fields_[j].first == name) pairs.emplace_back(name, fields_[j].second);
    }
    return pairs;
}

std::size_t HTTPHeaders::size() const noexcept {
    std::size_t distinct = 0;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        const auto begin = fields_.begin();
        if (std::none_of(begin, begin + static_cast<std::ptrdiff_t>(i),
                         [&](const auto& field) { return field.first == fields_[i].first; }))
            ++distinct;
    }
    return distinct;
}

void HTTPHeaders::parse_line(std::string_view line) {
    if (line.empty()) return;
    if (is_space(line.front())) {
        if (!last_added_) throw HTTPInputError("first header line cannot start with whitespace");
        std::string_view continuation = line;
        while (!continuation.empty() && is_space(continuation.front()))
            continuation.remove_prefix(1);
        fields_[*last_added_].second += ' ';
        fields_[*last_added_].second += continuation;
        return;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) throw HTTPInputError("no colon in header line");
    add(line.substr(0, colon), strip(line.substr(colon + 1)));
}

HTTPHeaders HTTPHeaders::parse(std::string_view block) {
    HTTPHeaders headers;
    while (!block.empty()) {
        const auto newline = block.find('\n');
        std::string_view line = block.substr(0, newline);
        block.remove_prefix(newline == std::string_view::npos ? block.size() : newline + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        headers.parse_line(line);
    }
    return headers;
}

std::string HTTPHeaders::str() const {
    std::string out;
    for (const auto& [name, value] : get_all()) {
        out += name;
        out += ": ";
        out += value;
        out += '\n';
    }
    return out;
}

}  // namespace typhoon::httputil
