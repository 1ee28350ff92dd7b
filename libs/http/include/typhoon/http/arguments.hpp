#ifndef TYPHOON_HTTP_ARGUMENTS_HPP
#define TYPHOON_HTTP_ARGUMENTS_HPP

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

/** Adds the arguments and files of a form body to `arguments` and `files`
    (tornado.httputil.parse_body_arguments): application/x-www-form-urlencoded and
    multipart/form-data; other content types add nothing.
    @throws HTTPInputError for a body that claims a form type but is malformed, or is compressed
    (a `Content-Encoding` in `headers`); the server answers 400. */
void parse_body_arguments(std::string_view content_type, std::string_view body,
                          Arguments& arguments, Files& files, const HTTPHeaders* headers = nullptr);

/** Parses a multipart/form-data body with the given boundary (quotes around it are allowed):
    parts with a filename go to `files`, the others to `arguments`. Filenames in RFC 2231 form
    (`filename*=UTF-8''...`) are decoded.
    @throws HTTPInputError when the final boundary, a part's headers, its name or its
    Content-Disposition is missing or malformed. */
void parse_multipart_form_data(std::string_view boundary, std::string_view body,
                               Arguments& arguments, Files& files);

}  // namespace typhoon::httputil

#endif
