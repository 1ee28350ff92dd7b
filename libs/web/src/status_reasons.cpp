#include "status_reasons.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace typhoon::web::detail {

void check_reason_phrase(std::string_view reason) {
    for (std::size_t i = 0; i < reason.size(); ++i) {
        const auto byte = static_cast<unsigned char>(reason[i]);
        if (byte == '\t' || (byte >= 0x20 && byte != 0x7f)) continue;
        char name[8];
        std::snprintf(name, sizeof name, "0x%02X", byte);
        throw std::invalid_argument("Invalid reason phrase: control character " +
                                    std::string(name) + " at position " + std::to_string(i));
    }
}

}  // namespace typhoon::web::detail
