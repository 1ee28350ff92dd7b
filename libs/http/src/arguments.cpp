#include <typhoon/http/arguments.hpp>

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/escape.hpp>
#include <typhoon/core/utf8.hpp>
#include <typhoon/http/headers.hpp>
#include <typhoon/http/http_input_error.hpp>

#include "header_params.hpp"

namespace typhoon::httputil {

namespace {

std::string decode_component(std::string_view text) {
    return escape::url_unescape(text, {.plus = true, .decode_utf8 = false});
}

void reject_compressed(const HTTPHeaders* headers) {
    if (headers && headers->contains("Content-Encoding"))
        throw HTTPInputError("Unsupported Content-Encoding: " +
                             headers->get("Content-Encoding", ""));
}

}  // namespace

Arguments parse_qs_bytes(std::string_view query, ParseQsOptions options) {
    // The rules of Python's urllib.parse.parse_qsl, which Tornado uses with latin-1 so that values
    // stay bytes: fields split on '&' only, a field without '=' is blank, blanks kept on request.
    Arguments arguments;
    for (std::size_t start = 0;;) {
        const auto amp = query.find('&', start);
        const std::string_view field =
            query.substr(start, amp == std::string_view::npos ? amp : amp - start);
        const auto equals = field.find('=');
        if (options.strict_parsing && equals == std::string_view::npos)
            throw HTTPInputError("bad query field: '" + std::string(field) + "'");
        const std::string_view value =
            equals == std::string_view::npos ? std::string_view() : field.substr(equals + 1);
        const bool has_value = equals != std::string_view::npos && !value.empty();
        if (!field.empty() && (has_value || options.keep_blank_values))
            arguments[decode_component(field.substr(0, equals))].push_back(decode_component(value));
        if (amp == std::string_view::npos) break;
        start = amp + 1;
    }
    return arguments;
}

void parse_body_arguments(std::string_view content_type, std::string_view body,
                          Arguments& arguments, Files& files, const HTTPHeaders* headers,
                          const ParseMultipartConfig& multipart) {
    if (content_type.starts_with("application/x-www-form-urlencoded")) {
        reject_compressed(headers);
        for (auto& [name, values] : parse_qs_bytes(body, {.keep_blank_values = true})) {
            auto& target = arguments[name];
            target.insert(target.end(), values.begin(), values.end());
        }
    } else if (content_type.starts_with("multipart/form-data")) {
        reject_compressed(headers);
        try {
            std::string_view rest = content_type;
            for (;;) {
                const auto semicolon = rest.find(';');
                const std::string_view field = escape::detail::strip(rest.substr(0, semicolon));
                const auto equals = field.find('=');
                if (equals != std::string_view::npos && field.substr(0, equals) == "boundary" &&
                    equals + 1 < field.size()) {
                    parse_multipart_form_data(field.substr(equals + 1), body, arguments, files,
                                              multipart);
                    return;
                }
                if (semicolon == std::string_view::npos) break;
                rest.remove_prefix(semicolon + 1);
            }
            throw HTTPInputError("multipart boundary not found");
        } catch (const HTTPInputError& e) {
            throw HTTPInputError(std::string("Invalid multipart/form-data: ") + e.what());
        }
    }
}

void parse_multipart_form_data(std::string_view boundary, std::string_view body,
                               Arguments& arguments, Files& files,
                               const ParseMultipartConfig& config) {
    // Quotes around the boundary are allowed (RFC 2046 §5.1.1); Tornado does not unescape inside.
    if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"')
        boundary = boundary.substr(1, boundary.size() - 2);
    const std::string delimiter = "--" + std::string(boundary);
    const auto final_boundary = body.rfind(delimiter + "--");
    if (final_boundary == std::string_view::npos)
        throw HTTPInputError("Invalid multipart/form-data: no final boundary found");

    const std::string part_start = delimiter + "\r\n";
    std::string_view rest = body.substr(0, final_boundary);
    std::size_t parts = 0;
    while (true) {
        const auto next = rest.find(part_start);
        const std::string_view part = rest.substr(0, next);
        rest.remove_prefix(next == std::string_view::npos ? rest.size() : next + part_start.size());
        if (!part.empty()) {
            if (++parts > config.max_parts)
                throw HTTPInputError("multipart/form-data has too many parts");
            const auto end_of_headers = part.find("\r\n\r\n");
            if (end_of_headers == std::string_view::npos)
                throw HTTPInputError("multipart/form-data missing headers");
            const std::string_view header_block = part.substr(0, end_of_headers);
            if (header_block.size() > config.max_part_header_size)
                throw HTTPInputError("multipart/form-data part header too large");
            if (!escape::is_valid_utf8(header_block))
                throw HTTPInputError("multipart/form-data part headers are not UTF-8");
            const HTTPHeaders headers = HTTPHeaders::parse(header_block);
            const auto disposition =
                detail::parse_header_value(headers.get("Content-Disposition", ""));
            if (disposition.value != "form-data" || !part.ends_with("\r\n"))
                throw HTTPInputError("Invalid multipart/form-data");
            const std::string_view value =
                part.substr(end_of_headers + 4, part.size() - end_of_headers - 6);
            const auto name = disposition.params.find("name");
            if (name == disposition.params.end() || name->second.empty())
                throw HTTPInputError("multipart/form-data missing name");
            const auto filename = disposition.params.find("filename");
            if (filename != disposition.params.end() && !filename->second.empty()) {
                files[name->second].push_back(
                    HTTPFile{filename->second, std::string(value),
                             headers.get("Content-Type", "application/unknown")});
            } else {
                arguments[name->second].emplace_back(value);
            }
        }
        if (next == std::string_view::npos) break;
    }
}

}  // namespace typhoon::httputil
