#include <typhoon/options/option_parser.hpp>

#include "option_record.hpp"
#include "python_format.hpp"

#include <typhoon/core/utf8.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>

namespace typhoon::options {

namespace {

// Python's textwrap.wrap(text, width) with its defaults, on code points: whitespace becomes
// spaces, words split after hyphens as its wordsep_re does, long words are broken.
bool is_letter(char32_t c) {
    return c >= 0x80 || std::isalpha(static_cast<int>(c)) != 0 || c == U'_';
}
bool is_word_char(char32_t c) {
    return is_letter(c) || (c >= U'0' && c <= U'9');
}
bool is_word_punct(char32_t c) {
    return is_word_char(c) || c == U'!' || c == U'"' || c == U'\'' || c == U'&' || c == U'.' ||
           c == U',' || c == U'?';
}

std::vector<std::u32string> split_chunks(const std::u32string& text) {
    std::vector<std::u32string> chunks;
    const std::size_t n = text.size();
    auto at = [&](std::size_t i) -> char32_t { return i < n ? text[i] : U'\0'; };
    auto dashes_then_word =
        [&](std::size_t i) {  // -{2,}(?=\w) starting at i; returns its length or 0
            std::size_t j = i;
            while (j < n && text[j] == U'-')
                ++j;
            return j - i >= 2 && j < n && is_word_char(text[j]) ? j - i : 0;
        };
    std::size_t i = 0;
    while (i < n) {
        if (text[i] == U' ') {
            std::size_t j = i;
            while (j < n && text[j] == U' ')
                ++j;
            chunks.emplace_back(text.substr(i, j - i));
            i = j;
            continue;
        }
        if (i > 0 && is_word_punct(text[i - 1])) {
            if (const std::size_t len = dashes_then_word(i)) {
                chunks.emplace_back(text.substr(i, len));
                i += len;
                continue;
            }
        }
        std::size_t j = i + 1;  // the lazy \S+? grows one character at a time
        std::size_t end = n;
        for (; j <= n; ++j) {
            if (j < n && text[j] == U'-' && j + 1 < n &&
                ((j >= 2 && is_letter(text[j - 2]) && is_letter(text[j - 1])) ||
                 (j >= 3 && is_letter(text[j - 3]) && text[j - 2] == U'-' &&
                  is_letter(text[j - 1]))) &&
                is_letter(at(j + 1)) &&
                (is_letter(at(j + 2)) || (at(j + 2) == U'-' && is_letter(at(j + 3))))) {
                end = j + 1;
                break;
            }
            if (j == n || text[j] == U' ') {
                end = j;
                break;
            }
            if (is_word_punct(text[j - 1]) && dashes_then_word(j)) {
                end = j;
                break;
            }
        }
        chunks.emplace_back(text.substr(i, end - i));
        i = end;
    }
    return chunks;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
    std::u32string expanded;
    for (char32_t c : escape::utf8_decode(text)) {
        if (c == U'\t') {
            do
                expanded += U' ';
            while (expanded.size() % 8 != 0);
        } else if (c == U'\n' || c == U'\v' || c == U'\f' || c == U'\r') {
            expanded += U' ';
        } else {
            expanded += c;
        }
    }
    std::vector<std::u32string> chunks = split_chunks(expanded);
    std::reverse(chunks.begin(), chunks.end());
    auto is_blank = [](const std::u32string& s) {
        return s.find_first_not_of(U' ') == std::u32string::npos;
    };
    std::vector<std::string> lines;
    while (!chunks.empty()) {
        std::vector<std::u32string> line;
        std::size_t length = 0;
        if (is_blank(chunks.back()) && !lines.empty()) chunks.pop_back();
        while (!chunks.empty()) {
            if (length + chunks.back().size() > width) break;
            length += chunks.back().size();
            line.push_back(std::move(chunks.back()));
            chunks.pop_back();
        }
        if (!chunks.empty() && chunks.back().size() > width) {  // break a long word
            const std::size_t space_left = width - length;      // may be 0: Python then adds ""
            std::u32string& chunk = chunks.back();
            std::size_t end = space_left;
            const std::size_t hyphen = chunk.substr(0, space_left).rfind(U'-');
            if (hyphen != std::u32string::npos && hyphen > 0 &&
                chunk.substr(0, hyphen).find_first_not_of(U'-') != std::u32string::npos)
                end = hyphen + 1;
            line.push_back(chunk.substr(0, end));
            length += end;
            chunk.erase(0, end);
        }
        if (!line.empty() && is_blank(line.back())) line.pop_back();
        if (!line.empty()) {
            std::u32string joined;
            for (const auto& piece : line)
                joined += piece;
            lines.push_back(escape::utf8_encode(joined));
        }
    }
    return lines;
}

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void padded(std::ostream& out, std::string_view text, std::size_t width) {  // Python's "%-30s"
    out << text;
    for (std::size_t n = code_points(text); n < width; ++n)
        out << ' ';
}

}  // namespace

void OptionParser::print_help(std::ostream& out) const {
    out << "Usage: " << impl_->program_name << " [OPTIONS]\n\nOptions:\n\n";
    std::map<std::string, std::vector<const OptionRecord*>>
        by_group;  // sorted, as Tornado sorts them
    for (const auto* record : impl_->in_order)
        by_group[record->group].push_back(record);
    for (auto& [group, records] : by_group) {
        if (!group.empty())
            out << "\n"
                << std::filesystem::path(group).lexically_normal().string() << " options:\n\n";
        std::stable_sort(
            records.begin(), records.end(),
            [](const OptionRecord* a, const OptionRecord* b) { return a->name < b->name; });
        for (const auto* record : records) {
            std::string prefix = record->normalized;
            if (!record->metavar.empty()) prefix += "=" + record->metavar;
            std::string description = record->help;
            const bool empty_string =
                std::holds_alternative<Scalar>(record->default_value) &&
                std::get<Scalar>(record->default_value) == Scalar(std::string());
            if (!std::holds_alternative<std::monostate>(record->default_value) && !empty_string)
                description += " (default " + python::str(record->default_value) + ")";
            std::vector<std::string> lines = wrap(description, 79 - 35);
            if (code_points(prefix) > 30 || lines.empty()) lines.insert(lines.begin(), "");
            out << "  --";
            padded(out, prefix, 30);
            out << " " << lines.front() << "\n";
            for (std::size_t i = 1; i < lines.size(); ++i) {
                padded(out, " ", 34);
                out << " " << lines[i] << "\n";
            }
        }
    }
    out << "\n";
}

}  // namespace typhoon::options
