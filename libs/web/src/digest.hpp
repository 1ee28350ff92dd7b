#ifndef TYPHOON_WEB_SRC_DIGEST_HPP
#define TYPHOON_WEB_SRC_DIGEST_HPP

#include <optional>
#include <string>
#include <string_view>

namespace typhoon::web::detail {

/// Lower-case hex SHA-1 of `data` in double quotes: an Etag, as Tornado computes it.
std::string quoted_sha1_hex(std::string_view data);
/// Lower-case hex SHA-512 of `data` (static file versions, as Tornado 6 computes them).
std::string sha512_hex(std::string_view data);
/// sha512_hex() of the content of the file at `path`, read 64 KiB at a time so that a large file
/// costs no more memory than a small one; std::nullopt when it cannot be opened or read.
std::optional<std::string> file_sha512_hex(const std::string& path);

}  // namespace typhoon::web::detail

#endif
