#include "python_int.hpp"

namespace typhoon::escape::detail {

std::optional<std::uint64_t> parse_python_int(std::string_view text, int base) noexcept {
    const auto digit = [base](char c) -> int {
        int value = -1;
        if (c >= '0' && c <= '9')
            value = c - '0';
        else if (c >= 'a' && c <= 'f')
            value = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            value = c - 'A' + 10;
        return value < base ? value : -1;
    };
    bool underscore_allowed = false;
    if (base == 16 && text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text.remove_prefix(2);
        underscore_allowed = true;  // int("0x_1f", 16) is 31
    }
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    bool overflow = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '_') {
            if (!underscore_allowed || i + 1 == text.size()) return std::nullopt;
            underscore_allowed = false;
            continue;
        }
        const int d = digit(text[i]);
        if (d < 0) return std::nullopt;
        if (value > (UINT64_MAX - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base))
            overflow = true;
        value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
        underscore_allowed = true;
    }
    if (overflow) return std::nullopt;
    return value;
}

}  // namespace typhoon::escape::detail
