#ifndef TYPHOON_CORE_SRC_UNICODE_TABLES_HPP
#define TYPHOON_CORE_SRC_UNICODE_TABLES_HPP

#include <array>
#include <string_view>

// Data that Tornado gets from Python's standard library, generated into unicode_tables.cpp.
namespace typhoon::escape::detail {

struct NamedEntity {
    std::string_view name;
    char32_t code_point;
};

struct CodePointRange {
    char32_t first, last;
};

/// html.entities.name2codepoint, sorted by name: what xhtml_unescape() resolves.
extern const std::array<NamedEntity, 252> html_entities;

/// Non-ASCII code points matched by Python's `\w`, as sorted inclusive ranges.
extern const std::array<CodePointRange, 730> non_ascii_word_ranges;

}  // namespace typhoon::escape::detail

#endif
