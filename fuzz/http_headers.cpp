// httputil's line parsers on arbitrary bytes: HTTPHeaders::parse, the request and status lines,
// parse_cookie, url_concat and split_host_and_port. Each either succeeds or throws the
// HTTPInputError it documents; what HTTPHeaders parsed must read back the same way it is written.

#include "check.hpp"

#include <typhoon/http/cookies.hpp>
#include <typhoon/http/headers.hpp>
#include <typhoon/http/http_input_error.hpp>
#include <typhoon/http/start_line.hpp>
#include <typhoon/http/url.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace typhoon::httputil;

namespace {

using fuzz_support::check;

void headers_round_trip(std::string_view block) {
    HTTPHeaders headers;
    try {
        headers = HTTPHeaders::parse(block);
    } catch (const HTTPInputError&) {
        return;
    }
    const auto fields = headers.get_all();
    std::size_t counted = 0;
    headers.for_each([&](std::string_view name, std::string_view value) {
        check(counted < fields.size() && fields[counted].first == name &&
              fields[counted].second == value);
        ++counted;
    });
    check(counted == fields.size(), "for_each and get_all differ in count");
    for (const auto& [name, value] : fields) {
        check(headers.contains(name), "a field get_all lists is not contained");
        std::string joined;
        bool first = true;  // an empty first value still takes a comma after it
        for (const std::string_view each : headers.get_list(name)) {
            joined += (first ? "" : ",") + std::string(each);
            first = false;
        }
        check(headers.get(name) == joined, "get() is not get_list() joined");
    }
    // Parsed values hold no line break, so the wire form exists and parses to the same fields.
    const auto wire = headers.wire_lines();
    if (!wire) return;
    const HTTPHeaders again = HTTPHeaders::parse(*wire);
    check(again.get_all() == fields, "the wire form parses to other fields");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    headers_round_trip(input);

    const std::string_view first_line = input.substr(0, input.find('\n'));
    try {
        const RequestStartLine line = parse_request_start_line(first_line);
        check(!line.method.empty() && line.version.starts_with("HTTP/1."),
              "a request line parsed to an empty method or a version other than HTTP/1.x");
    } catch (const HTTPInputError&) {
    }
    try {
        const ResponseStartLine line = parse_response_start_line(first_line);
        check(line.version.starts_with("HTTP/1."),
              "a status line parsed to a version other than HTTP/1.x");
    } catch (const HTTPInputError&) {
    }

    for (const auto& [name, value] : parse_cookie(input))
        check(name.find(';') == std::string::npos);

    const std::string url = url_concat(first_line, {{"a", "b c"}, {"&", "="}});
    check(url.find("a=b+c&%26=%3D") != std::string::npos, "url_concat lost the arguments");
    split_host_and_port(first_line);
    return 0;
}
