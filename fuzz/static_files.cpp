// StaticFileHandler on hostile paths and headers: the input's first line is the path requested
// under /static/ (sent as it is: dot segments, percent-escapes, backslashes, NULs), its second
// the Range header, its third If-None-Match. The application serves a folder beside a secret
// file. Whatever the request, the answer must be well formed, never hold the secret, never
// redirect off the site, and a 206's body must be the slice its Content-Range names.

#include "check.hpp"
#include "one_response.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/web.hpp>

#include <boost/beast/http/field.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

using namespace typhoon;
namespace http = boost::beast::http;

namespace {

using fuzz_support::check;

constexpr std::string_view secret = "SECRET-never-served";
const std::string file_text = "0123456789abcdefghijklmnopqrstuvwxyz";

struct Harness {
    ioloop::IOLoop loop;
    std::filesystem::path root;
    std::unique_ptr<web::Application> application;
    std::unique_ptr<httpserver::HTTPServer> server;
    std::uint16_t port = 0;
};
Harness* harness = nullptr;

void write_file(const std::filesystem::path& path, std::string_view text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string_view line(std::string_view& input) {
    const auto end = input.find('\n');
    const std::string_view first = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    return first;
}

bool plain(std::string_view text) {  // what may go into a request line or a header as it is
    for (const unsigned char c : text)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    harness = new Harness;
    log::clear_handlers();
    harness->root = std::filesystem::temp_directory_path() /
                    ("typhoon-fuzz-static-" + std::to_string(::getpid()));
    write_file(harness->root / "secret.txt", secret);
    write_file(harness->root / "static" / "a.txt", file_text);
    write_file(harness->root / "static" / "dir" / "index.html", file_text);
    write_file(harness->root / "static" / "dir" / "b c.txt", file_text);
    web::Settings settings;
    settings.static_path = (harness->root / "static").string();
    harness->application =
        std::make_unique<web::Application>(std::vector<web::URLSpec>{}, settings);
    harness->server = std::make_unique<httpserver::HTTPServer>(*harness->application);
    harness->server->listen(0, "127.0.0.1");
    harness->port = harness->server->ports().at(0);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string_view path = line(input), range = line(input), etag = line(input);
    // The request must be one the client could send; what the server then does is under test.
    if (path.find_first_of(" ?#") != std::string_view::npos || !plain(path) || !plain(range) ||
        !plain(etag))
        return 0;
    std::string request = "GET /static/" + std::string(path) + " HTTP/1.1\r\nHost: x\r\n";
    if (!range.empty()) request += "Range: " + std::string(range) + "\r\n";
    if (!etag.empty()) request += "If-None-Match: " + std::string(etag) + "\r\n";
    request += "Connection: close\r\n\r\n";

    const auto response = fuzz_support::one_response(harness->loop, harness->port, request);
    check(response.body().find(secret) == std::string::npos, "the secret beside the static folder");
    for (const auto& field : response)
        check(field.value().find(secret) == std::string::npos, "the secret in a header");
    const unsigned status = response.result_int();
    check(status < 500, "a server error");
    if (const auto location = response.find(http::field::location); location != response.end()) {
        const std::string_view target = location->value();
        check(target.starts_with("/") && !target.starts_with("//") && !target.starts_with("/\\"),
              "a redirect off the site");
    }
    if (status == 200) check(response.body() == file_text, "a 200 that is not a served file");
    if (status == 206) {
        const auto content_range = response.find(http::field::content_range);
        check(content_range != response.end(), "a 206 without Content-Range");
        unsigned long first = 0, last = 0, total = 0;
        check(std::sscanf(std::string(content_range->value()).c_str(), "bytes %lu-%lu/%lu", &first,
                          &last, &total) == 3,
              "a malformed Content-Range");
        check(total == file_text.size() && first <= last && last < total &&
                  response.body() == file_text.substr(first, last - first + 1),
              "a 206 body that is not the slice its Content-Range names");
    }
    return 0;
}
