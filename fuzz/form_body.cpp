// Form bodies as a server reads them: the first line of the input is the request's Content-Type
// (urlencoded, multipart/form-data with its boundary, or anything else), the rest its body,
// through parse_body_arguments with small multipart limits. A body is parsed or refused with
// HTTPInputError; no limit may be crossed on the way.

#include "check.hpp"

#include <typhoon/http/arguments.hpp>
#include <typhoon/http/headers.hpp>
#include <typhoon/http/http_input_error.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace typhoon::httputil;
using fuzz_support::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string_view content_type = input.substr(0, newline);
    const std::string_view body =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

    const ParseMultipartConfig limits{.max_parts = 8, .max_part_header_size = 256};
    Arguments arguments;
    Files files;
    try {
        parse_body_arguments(content_type, body, arguments, files, nullptr, limits);
    } catch (const HTTPInputError&) {
        return 0;
    }
    std::size_t parts = 0, bytes = 0;
    for (const auto& [name, values] : arguments)
        for (const auto& value : values)
            parts += 1, bytes += name.size() + value.size();
    for (const auto& [name, uploads] : files)
        for (const HTTPFile& file : uploads) {
            check(!file.filename.empty() && !file.content_type.empty(),
                  "a file without a name or type");
            parts += 1, bytes += name.size() + file.body.size();
        }
    // Names and values come out of the body, at most doubled (a Latin-1 name read as UTF-8).
    check(bytes <= 2 * body.size(), "more bytes out than the body held");
    check(!content_type.starts_with("multipart/form-data") || parts <= limits.max_parts,
          "more parts than max_parts");

    // The same body as a query string, strictly and leniently.
    parse_qs_bytes(body, {.keep_blank_values = true});
    try {
        parse_qs_bytes(body, {.keep_blank_values = false, .strict_parsing = true});
    } catch (const HTTPInputError&) {
    }
    return 0;
}
