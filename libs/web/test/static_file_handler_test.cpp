#include <typhoon/web/static_file_handler.hpp>

#include <typhoon/web.hpp>

#include <typhoon/core/log_capture.hpp>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>
#include <unistd.h>

#include <memory>

#include <filesystem>
#include <fstream>

using namespace typhoon;
using namespace web_test;
namespace fs = std::filesystem;

namespace {

class Page final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(static_url("hello.txt") + " " + static_url("hello.txt", {.include_version = false}));
        co_return;
    }
};

struct StaticFixture : testing::AsyncHTTPTestCase {
    fs::path base = fs::temp_directory_path() / ("typhoon_static_" + std::to_string(::getpid()));
    fs::path root = base / "static";
    std::string hello = "Hello, static world!\n";  // its SHA-512 computed by Python below
    log::LogCapture quiet{{.logger = &log::access_log}};

    StaticFixture() {
        fs::create_directories(root / "css");
        fs::create_directories(root / "docs");
        std::ofstream(root / "hello.txt") << hello;
        std::ofstream(root / "css" / "site.css") << "body { color: red; }";
        std::ofstream(root / "docs" / "index.html") << "<h1>docs</h1>";
        std::ofstream(root / "favicon.ico") << "ICON";
        std::ofstream(base / "secret.txt") << "not for the web";
        fs::create_symlink(base / "secret.txt", root / "escape.txt");
    }
    web::Application get_app() override {
        return web::Application(
            {web::url<web::StaticFileHandler>("/files/(.*)", {}, root.string(),
                                              std::optional<std::string>("index.html"))},
            {.static_path = root.string()});
    }
    ~StaticFixture() override { fs::remove_all(base); }
};

struct StaticUrlFixture : StaticFixture {
    web::Application get_app() override {
        return web::Application({web::url<Page>("/page")}, {.static_path = root.string()});
    }
};

/// The static files served at "/" with a default filename: the configuration an open redirect
/// through a `//` path needs.
struct RootPrefixFixture : StaticFixture {
    web::Application get_app() override {
        return web::Application({web::url<web::StaticFileHandler>(
            "/(.*)", {}, root.string(), std::optional<std::string>("index.html"))});
    }
};

/// Lower-case hex SHA-512 of what is fed to it, piece by piece.
class Sha512 {
public:
    Sha512() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
        EVP_DigestInit_ex(context_.get(), EVP_sha512(), nullptr);
    }
    void update(std::string_view data) {
        EVP_DigestUpdate(context_.get(), data.data(), data.size());
    }
    std::string hex() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        EVP_DigestFinal_ex(context_.get(), digest, &size);
        std::string out;
        static constexpr char digits[] = "0123456789abcdef";
        for (unsigned int i = 0; i < size; ++i) {
            out += digits[digest[i] >> 4];
            out += digits[digest[i] & 15];
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context_;
};

long status_kib(std::string_view field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with(field)) return std::stol(line.substr(field.size()));
    return 0L;
}

// python3 -c 'import hashlib; print(hashlib.sha512(b"Hello, static world!\n").hexdigest())'
constexpr std::string_view hello_sha512 =
    "ba7dc93e66812c192e8e2ca9f17ee89da282ee49152b9b29582d6e24edec594983074372bba45fb025d894f3aea188"
    "536c39972f45199550a0ec11d2173a700e";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(static_file_handler_test, StaticFixture)

BOOST_AUTO_TEST_CASE(serves_a_file_with_type_etag_and_dates) {
    const auto response = fetch("/static/hello.txt");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == hello);
    BOOST_TEST(response.headers.get("Content-Type", "") == "text/plain");
    BOOST_TEST(response.headers.get("Accept-Ranges", "") == "bytes");
    BOOST_TEST(response.headers.get("Etag", "") == "\"" + std::string(hello_sha512) + "\"");
    BOOST_TEST(response.headers.get("Last-Modified", "").ends_with(" GMT"));
    BOOST_TEST(!response.headers.contains("Cache-Control"));
    BOOST_TEST(fetch("/static/css/site.css").headers.get("Content-Type", "") == "text/css");
}

BOOST_AUTO_TEST_CASE(versioned_urls_are_cached_for_ten_years) {
    const auto response = fetch("/static/hello.txt?v=" + std::string(hello_sha512));
    BOOST_TEST(response.headers.get("Cache-Control", "") == "max-age=315360000");
    BOOST_TEST(response.headers.contains("Expires"));
}

BOOST_AUTO_TEST_CASE(favicon_and_robots_come_from_static_path) {
    BOOST_TEST(fetch("/favicon.ico").body == "ICON");
    BOOST_TEST(fetch("/favicon.ico").headers.get("Content-Type", "") == "image/vnd.microsoft.icon");
    log::LogCapture quiet_404{{.logger = &log::gen_log}};
    BOOST_TEST(fetch("/robots.txt").code == 404);
}

BOOST_AUTO_TEST_CASE(etag_or_modification_date_gives_304) {
    const auto first = fetch("/static/hello.txt");
    const auto hello_with = [&](std::string_view name, std::string_view value) {
        return fetch("/static/hello.txt", {.headers = headers({{name, value}})});
    };
    auto again = hello_with("If-None-Match", first.headers.get("Etag", ""));
    BOOST_TEST(again.code == 304);
    BOOST_TEST(again.body.empty());
    again = hello_with("If-Modified-Since", first.headers.get("Last-Modified", ""));
    BOOST_TEST(again.code == 304);
    again = hello_with("If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT");
    BOOST_TEST(again.code == 200);
}

BOOST_AUTO_TEST_CASE(single_ranges_get_206_with_content_range) {
    const auto range = [&](std::string_view value) {
        return fetch("/static/hello.txt", {.headers = headers({{"Range", value}})});
    };
    auto response = range("bytes=0-4");
    BOOST_TEST(response.code == 206);
    BOOST_TEST(response.body == "Hello");
    BOOST_TEST(response.headers.get("Content-Range", "") == "bytes 0-4/21");
    response = range("bytes=-7");
    BOOST_TEST(response.body == "world!\n");
    BOOST_TEST(response.headers.get("Content-Range", "") == "bytes 14-20/21");
    response = range("bytes=7-");
    BOOST_TEST(response.body == "static world!\n");
    // The whole file asked as a range is a plain 200, as in Tornado.
    BOOST_TEST(range("bytes=0-").code == 200);
}

BOOST_AUTO_TEST_CASE(unsatisfiable_range_is_416_naming_the_size) {
    const auto range = [&](std::string_view value) {
        return fetch("/static/hello.txt", {.headers = headers({{"Range", value}})});
    };
    const auto response = range("bytes=100-");
    BOOST_TEST(response.code == 416);
    BOOST_TEST(response.headers.get("Content-Range", "") == "bytes */21");
    // A range Tornado does not understand is ignored: the whole file.
    BOOST_TEST(range("lines=1-2").code == 200);
}

BOOST_AUTO_TEST_CASE(head_sends_the_headers_only) {
    const auto response = fetch("/static/hello.txt", {.method = "HEAD"});
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.headers.get("Content-Length", "") == "21");
    BOOST_TEST(response.body.empty());
    // Raw bytes: only the wire shows that no body bytes follow the headers.
    const std::string raw = web_test::exchange(
        *this, "HEAD /static/hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(raw.starts_with("HTTP/1.1 200 OK\r\n"));
    BOOST_TEST(raw.find("\r\nContent-Length: 21\r\n") != std::string::npos);
    BOOST_TEST(raw.ends_with("\r\n\r\n"));
}

BOOST_AUTO_TEST_CASE(nothing_outside_the_root_is_served) {
    testing::ExpectLog refusals{log::gen_log, "is not in root static directory"};
    for (const std::string path :
         {"/static/../secret.txt", "/static/%2e%2e/secret.txt",
          "/static/css/%2E%2E/%2e%2e/secret.txt", "/static//etc/passwd", "/static/escape.txt"}) {
        const auto response = fetch(path);
        BOOST_TEST((response.code == 403 || response.code == 404), path << " → " << response.code);
        BOOST_TEST(response.body.find("not for the web") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(missing_file_is_404_and_directory_403) {
    log::LogCapture quiet_errors{{.logger = &log::gen_log}};
    BOOST_TEST(fetch("/static/nothing.txt").code == 404);
    BOOST_TEST(fetch("/static/css").code == 403);
}

BOOST_AUTO_TEST_CASE(default_filename_serves_directories_after_a_slash_redirect) {
    const auto redirect = fetch("/files/docs", {.follow_redirects = false});
    BOOST_TEST(redirect.code == 301);
    BOOST_TEST(redirect.headers.get("Location", "") == "/files/docs/");
    BOOST_TEST(fetch("/files/docs/").body == "<h1>docs</h1>");
}

BOOST_FIXTURE_TEST_CASE(static_url_carries_the_content_hash, StaticUrlFixture) {
    BOOST_TEST(fetch("/page").body ==
               "/static/hello.txt?v=" + std::string(hello_sha512) + " /static/hello.txt");
}

BOOST_AUTO_TEST_CASE(large_file_is_streamed_with_bounded_memory) {
    constexpr std::size_t size = std::size_t{1} << 30;  // 1 GiB
    fs::resize_file((std::ofstream(root / "big.bin"), root / "big.bin"), size);
    const auto rss_kib = [] {
        std::ifstream status("/proc/self/status");
        std::string line;
        while (std::getline(status, line))
            if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
        return 0L;
    };
    const long before = rss_kib();
    long peak = before;
    std::size_t received = 0;
    // Raw bytes, read a MiB at a time and dropped, as a downloading client does: the server's
    // memory is under test. A gigabyte is slow on a busy machine, hence the long timeout.
    run_until(
        [&]() -> awaitable<void> {
            auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", get_http_port());
            co_await stream->write(
                "GET /static/big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            const std::string head = co_await stream->read_until("\r\n\r\n");
            BOOST_TEST(head.find("Content-Length: " + std::to_string(size)) != std::string::npos);
            while (received < size) {
                received +=
                    (co_await stream->read_bytes(std::min<std::size_t>(1 << 20, size - received)))
                        .size();
                peak = std::max(peak, rss_kib());
            }
        },
        std::chrono::minutes(4));
    BOOST_TEST(received == size);
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TYPHOON_TEST_UNDER_ASAN
#endif
#endif
#ifndef TYPHOON_TEST_UNDER_ASAN  // ASan keeps freed memory in quarantine: its RSS says nothing here
    BOOST_TEST(peak - before < 16 * 1024, "RSS grew by " << (peak - before) << " KiB");
#endif
}

BOOST_AUTO_TEST_CASE(a_nul_in_the_path_is_a_400_not_another_file_under_another_type) {
    // The C library would open "hello.txt" for "hello.txt\0.html", and serve it as text/html.
    const std::string wire = web_test::exchange(
        *this, "GET /static/hello.txt%00.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(wire.starts_with("HTTP/1.1 400 Bad Request\r\n"));
    BOOST_TEST(wire.find(hello) == std::string::npos);
    BOOST_TEST(wire.find("Hello, static") == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_path_with_two_initial_slashes_is_never_redirected_off_site,
                        RootPrefixFixture) {
    // `//evil.example/../<root>/docs` names the docs directory, so a redirect to the path plus
    // "/" would send the browser to evil.example.
    testing::ExpectLog expected{log::gen_log, "cannot redirect path with two initial slashes"};
    const std::string wire =
        web_test::exchange(*this, "GET //evil.example/.." + (root / "docs").string() +
                                      " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(wire.starts_with("HTTP/1.1 403 Forbidden\r\n"), wire.substr(0, 200));
    BOOST_TEST(wire.find("Location") == std::string::npos);
    // The ordinary redirect of a directory still happens.
    const auto redirect = fetch("/docs", {.follow_redirects = false});
    BOOST_TEST(redirect.code == 301);
    BOOST_TEST(redirect.headers.get("Location", "") == "/docs/");
}

BOOST_AUTO_TEST_CASE(a_64_mib_file_has_the_sha512_etag_and_costs_bounded_memory) {
    constexpr std::size_t size = std::size_t{64} << 20;
    Sha512 expected_hash;
    {
        // Content that differs everywhere, so that a wrong offset or a lost piece shows.
        std::ofstream file(root / "large.bin", std::ios::binary);
        std::string piece(1 << 20, '\0');
        for (std::size_t at = 0; at < size; at += piece.size()) {
            for (std::size_t i = 0; i < piece.size(); ++i)
                piece[i] = static_cast<char>(((at + i) * 2654435761u) >> 13);
            file.write(piece.data(), static_cast<std::streamsize>(piece.size()));
            expected_hash.update(piece);
        }
    }
    const std::string expected = expected_hash.hex();
    // The peak resident size from here on (writing 5 to clear_refs resets VmHWM).
    std::ofstream("/proc/self/clear_refs") << "5";
    [[maybe_unused]] const long before = status_kib("VmRSS:");  // unread under ASan
    std::string head;
    Sha512 received_hash;
    std::size_t received = 0;
    run_until(
        [&]() -> awaitable<void> {
            auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", get_http_port());
            co_await stream->write(
                "GET /static/large.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            head = co_await stream->read_until("\r\n\r\n");
            while (received < size) {
                const std::string piece =
                    co_await stream->read_bytes(std::min<std::size_t>(1 << 20, size - received));
                received += piece.size();
                received_hash.update(piece);
            }
        },
        std::chrono::minutes(2));
    [[maybe_unused]] const long peak = status_kib("VmHWM:");
    BOOST_TEST(head.starts_with("HTTP/1.1 200 OK\r\n"));
    BOOST_TEST(head.find("\r\nContent-Length: " + std::to_string(size) + "\r\n") !=
               std::string::npos);
    BOOST_TEST(head.find("\r\nEtag: \"" + expected + "\"\r\n") != std::string::npos, head);
    BOOST_TEST(received == size);
    BOOST_TEST(received_hash.hex() == expected);
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TYPHOON_TEST_UNDER_ASAN_64
#endif
#endif
#ifndef TYPHOON_TEST_UNDER_ASAN_64  // ASan keeps freed memory in quarantine
    BOOST_TEST(peak - before < 16 * 1024, "peak RSS grew by " << (peak - before) << " KiB");
#endif
}

BOOST_AUTO_TEST_CASE(an_edited_file_gets_a_new_etag) {
    const auto first = fetch("/static/css/site.css").headers.get("Etag", "");
    std::ofstream(root / "css" / "site.css") << "body { color: blue; margin: 0; }";
    const auto second = fetch("/static/css/site.css");
    BOOST_TEST(second.body == "body { color: blue; margin: 0; }");
    BOOST_TEST(second.headers.get("Etag", "") != first);
}

BOOST_AUTO_TEST_CASE(guess_content_type_follows_pythons_mimetypes) {
    BOOST_TEST(web::guess_content_type("a.JS") == "text/javascript");
    BOOST_TEST(web::guess_content_type("a.svg") == "image/svg+xml");
    BOOST_TEST(web::guess_content_type("a.tar.gz") == "application/gzip");
    BOOST_TEST(web::guess_content_type("a.unknown") == "application/octet-stream");
}

BOOST_AUTO_TEST_SUITE_END()
