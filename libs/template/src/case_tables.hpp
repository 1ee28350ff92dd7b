#ifndef TYPHOON_TEMPLATE_SRC_CASE_TABLES_HPP
#define TYPHOON_TEMPLATE_SRC_CASE_TABLES_HPP

#include <cstddef>

namespace typhoon::templates::detail {

/// A code point and what str.upper() or str.lower() makes of it (up to three code points,
/// 0-padded).
struct CaseMapping {
    char32_t from;
    char32_t to[3];
};

// Sorted by `from`.
extern const CaseMapping upper_mappings[];
extern const std::size_t upper_mappings_size;
extern const CaseMapping lower_mappings[];
extern const std::size_t lower_mappings_size;

}  // namespace typhoon::templates::detail

#endif
