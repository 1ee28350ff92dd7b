#ifndef TYPHOON_WEB_SRC_DIGEST_HPP
#define TYPHOON_WEB_SRC_DIGEST_HPP

#include <string>
#include <string_view>

namespace typhoon::web::detail {

/// Lower-case hex SHA-1 of `data` in double quotes: an Etag, as Tornado computes it.
std::string quoted_sha1_hex(std::string_view data);
/// Lower-case hex SHA-512 of `data` (static file versions, as Tornado 6 computes them).
std::string sha512_hex(std::string_view data);

}  // namespace typhoon::web::detail

#endif
