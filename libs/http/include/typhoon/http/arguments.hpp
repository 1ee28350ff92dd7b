#ifndef TYPHOON_HTTP_ARGUMENTS_HPP
#define TYPHOON_HTTP_ARGUMENTS_HPP

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace typhoon::httputil {

class HTTPHeaders;

/// Query or form arguments: each name with its values in arrival order. Names and values are the
/// decoded bytes; the web layer checks them for UTF-8 when a handler reads them.
using Arguments = std::map<std::string, std::vector<std::string>, std::less<>>;

/// An uploaded file from a multipart/form-data body (tornado.httputil.HTTPFile).
struct HTTPFile {
    std::string filename{};      ///< as the client sent it, never empty; untrusted (may hold `../`)
    std::string body{};          ///< the file's bytes
    std::string content_type{};  ///< the part's Content-Type; "application/unknown" when absent
};

/// Uploaded files by form field name.
using Files = std::map<std::string, std::vector<HTTPFile>, std::less<>>;

/// The keyword arguments of tornado.httputil.parse_qs_bytes (Python's urllib.parse.parse_qs).
struct ParseQsOptions {
    /// Keep `a=` and a bare `a` as empty values instead of dropping them.
    bool keep_blank_values = false;
    /// Throw HTTPInputError for a field without '=' instead of skipping it.
    bool strict_parsing = false;
};

/** Parses a query string or urlencoded body (tornado.httputil.parse_qs_bytes): fields split on
    '&', '+' read as a space, %XX decoded to raw bytes. */
Arguments parse_qs_bytes(std::string_view query, ParseQsOptions options = {});

/// Tornado 6.5's default bound on the parts of one multipart/form-data body.
inline constexpr std::size_t default_max_multipart_parts = 100;
/// Tornado 6.5's default bound on the header block of one part, in bytes.
inline constexpr std::size_t default_max_multipart_part_header_size = 10 * 1024;

/** Limits of multipart/form-data parsing (tornado.httputil.ParseMultipartConfig, with its
    defaults). Each part costs a header parse and a copy, so a body of a given size could
    otherwise make as many of them as it has bytes to spare; crossing a limit throws
    HTTPInputError, which the server answers with 400. */
struct ParseMultipartConfig {
    /// Parts in one body; the 101st part by default is refused ("multipart/form-data has too
    /// many parts").
    std::size_t max_parts = default_max_multipart_parts;
    /// Bytes of one part's header block, without the blank line that ends it ("multipart/
    /// form-data part header too large").
    std::size_t max_part_header_size = default_max_multipart_part_header_size;
};

/** Adds the arguments and files of a form body to `arguments` and `files`
    (tornado.httputil.parse_body_arguments): application/x-www-form-urlencoded and
    multipart/form-data; other content types add nothing.
    @throws HTTPInputError for a body that claims a form type but is malformed, is compressed
    (a `Content-Encoding` in `headers`) or crosses a limit of `multipart`; the message says
    what is wrong. The first fault ends the parse, so a body of many bad parts is one error,
    and the server answers it with 400 and logs one line. */
void parse_body_arguments(std::string_view content_type, std::string_view body,
                          Arguments& arguments, Files& files, const HTTPHeaders* headers = nullptr,
                          const ParseMultipartConfig& multipart = {});

/** Parses a multipart/form-data body with the given boundary (quotes around it are allowed):
    parts with a filename go to `files`, the others to `arguments`. Filenames in RFC 2231 form
    (`filename*=UTF-8''...`) are decoded.
    @throws HTTPInputError when the final boundary, a part's headers, its name or its
    Content-Disposition is missing or malformed, when a part's header block holds a CR that is
    not part of a CRLF (RFC 9112 §2.2), or when the body crosses a limit of `config`. */
void parse_multipart_form_data(std::string_view boundary, std::string_view body,
                               Arguments& arguments, Files& files,
                               const ParseMultipartConfig& config = {});

}  // namespace typhoon::httputil

#endif
