#include <typhoon/http/http_client.hpp>

#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/net/netutil.hpp>
#include <typhoon/net/tcp_server.hpp>

#include <zlib.h>

#include <boost/test/unit_test.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

using namespace typhoon;
using namespace std::chrono_literals;
using boost::asio::awaitable;
using httpclient::AsyncHTTPClient;
using httpclient::HTTPClientError;
using httpclient::HTTPRequest;
using httpclient::HTTPResponse;
using httputil::HTTPConnection;
using httputil::HTTPHeaders;
using httputil::HTTPServerRequest;

namespace {

std::string gzipped(std::string_view data) {
    z_stream stream{};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

awaitable<void> respond(HTTPConnection& connection, int code, std::string body,
                        HTTPHeaders headers = {}, std::string reason = {}) {
    headers.set("Content-Length", std::to_string(body.size()));
    if (reason.empty()) reason = httpclient::reason_phrase(code);
    co_await connection.write_headers({"HTTP/1.1", code, reason}, std::move(headers), body);
    co_await connection.finish();
}

awaitable<void> redirect(HTTPConnection& connection, int code, std::string location) {
    HTTPHeaders headers;
    headers.add("Location", location);
    co_await respond(connection, code, "redirecting", std::move(headers));
}

/// Counts the requests the server is answering at once, for the max_clients test.
struct Concurrency {
    int now = 0;
    int most = 0;
};

/// The application the client talks to: one behaviour per path.
struct Application {
    Concurrency concurrency;

    awaitable<void> operator()(HTTPServerRequest& request, HTTPConnection& connection) {
        const std::string& path = request.path;
        const auto argument = [&](const std::string& name) {
            const auto found = request.query_arguments.find(name);
            return found == request.query_arguments.end() ? std::string() : found->second.at(0);
        };
        if (path == "/hello" && request.method == "HEAD") {
            HTTPHeaders headers;
            headers.add("Content-Length", "12");
            co_await connection.write_headers({"HTTP/1.1", 200, "OK"}, std::move(headers));
            co_await connection.finish();
        } else if (path == "/hello") {
            co_await respond(connection, 200, "Hello, world");
        } else if (path == "/echo") {
            HTTPHeaders headers;
            headers.add("X-Method", request.method);
            co_await respond(connection, 200, request.body, std::move(headers));
        } else if (path == "/header") {
            co_await respond(connection, 200, request.headers.get(argument("name"), "<none>"));
        } else if (path == "/status") {
            co_await respond(connection, std::stoi(argument("code")), "status body");
        } else if (path == "/redirect") {
            co_await redirect(connection, std::stoi(argument("code")), argument("to"));
        } else if (path.starts_with("/countdown/")) {
            const int left = std::stoi(path.substr(11));
            if (left == 0) {
                co_await respond(connection, 200, "landed");
            } else {
                co_await redirect(connection, 302, "/countdown/" + std::to_string(left - 1));
            }
        } else if (path == "/a/b/relative") {
            co_await redirect(connection, 302, "../hello?from=relative");
        } else if (path == "/a/hello") {
            co_await respond(connection, 200, "relative landed " + request.query);
        } else if (path == "/loop") {
            co_await redirect(connection, 302, "/loop");
        } else if (path == "/chunked") {
            co_await connection.write_headers({"HTTP/1.1", 200, "OK"}, HTTPHeaders{}, "one,");
            co_await connection.flush();
            co_await connection.write("two,");
            co_await connection.flush();
            co_await connection.write("three");
            co_await connection.finish();
        } else if (path == "/gzip") {
            HTTPHeaders headers;
            headers.add("Content-Encoding", "gzip");
            const std::string text(100000, 'z');
            co_await respond(
                connection, 200,
                request.headers.get("Accept-Encoding", "") == "gzip" ? gzipped(text) : text,
                std::move(headers));
        } else if (path == "/slow") {
            co_await gen::sleep(300ms);
            co_await respond(connection, 200, "slow done");
        } else if (path == "/busy") {
            ++concurrency.now;
            concurrency.most = std::max(concurrency.most, concurrency.now);
            co_await gen::sleep(1ms);
            --concurrency.now;
            co_await respond(connection, 200, "busy " + argument("i"));
        } else if (path == "/big") {
            co_await respond(connection, 200, std::string(1 << 20, 'b'));
        } else if (path == "/big_header") {
            HTTPHeaders headers;
            headers.add("X-Big", std::string(4000, 'h'));
            co_await respond(connection, 200, "big header", std::move(headers));
        } else {
            co_await respond(connection, 404, "no such page");
        }
    }
};

struct ClientFixture {
    ioloop::IOLoop loop;
    Application app;
    httpserver::HTTPServer server{
        [this](HTTPServerRequest& r, HTTPConnection& c) { return app(r, c); }};
    std::uint16_t port = 0;
    AsyncHTTPClient client;

    ClientFixture() {
        server.listen(0, "127.0.0.1");
        port = server.ports().at(0);
    }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port) + path;
    }
    template <class F>
    auto run(F coroutine) {
        return loop.run_sync(std::move(coroutine), std::chrono::seconds(30));
    }
    HTTPResponse fetch(const std::string& path, HTTPRequest request = {}) {
        return run([&]() { return client.fetch(url(path), request); });
    }
    /// The HTTPClientError that fetching `path` throws; fails the test when none is thrown.
    HTTPClientError fetch_error(const std::string& path, HTTPRequest request = {}) {
        try {
            fetch(path, std::move(request));
        } catch (const HTTPClientError& e) {
            return e;
        }
        BOOST_FAIL("no HTTPClientError for " + path);
        return HTTPClientError(0);  // not reached: BOOST_FAIL throws
    }
};

/// A TCP server that answers every connection with the same raw bytes, then closes.
class RawServer final : public tcpserver::TCPServer {
public:
    explicit RawServer(std::string answer) : answer_(std::move(answer)) { listen(0, "127.0.0.1"); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(ports().at(0)) + "/"; }

protected:
    awaitable<void> handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                  std::string) override {
        co_await stream->read_until("\r\n\r\n");
        co_await stream->write(answer_);
        stream->close();
    }

private:
    std::string answer_;
};

/// A TCP server that counts its connections and keeps every byte they send; it answers the
/// first request head with a 200 and closes.
class RecordingServer final : public tcpserver::TCPServer {
public:
    RecordingServer() { listen(0, "127.0.0.1"); }
    std::uint16_t port() const { return ports().at(0); }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port()) + path;
    }
    int connections = 0;
    std::string received;

protected:
    awaitable<void> handle_stream(std::unique_ptr<iostream::IOStream> stream,
                                  std::string) override {
        ++connections;
        try {
            while (received.find("\r\n\r\n") == std::string::npos)
                received += co_await stream->read_bytes(64 * 1024, {.partial = true});
            co_await stream->write(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        } catch (const iostream::StreamClosedError&) {
        }
        stream->close();
    }
};

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

/// The error a fetch of `url` throws; "no error" when it succeeds.
template <class Fixture>
std::string error_of(Fixture& fixture, const std::string& url, HTTPRequest request = {}) {
    try {
        fixture.run([&]() { return fixture.client.fetch(url, request); });
    } catch (const typhoon::Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_client_test, ClientFixture)

BOOST_AUTO_TEST_CASE(fetches_a_body_with_its_status_and_headers) {
    const auto response = fetch("/hello");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.reason == "OK");
    BOOST_TEST(response.body == "Hello, world");
    BOOST_TEST(*response.headers.get("Content-Length") == "12");
    BOOST_TEST(response.effective_url == url("/hello"));
    BOOST_TEST(response.request.url == url("/hello"));
    BOOST_TEST(!response.error);
    BOOST_TEST(response.request_time > 0);
}

BOOST_AUTO_TEST_CASE(sends_method_headers_and_body) {
    HTTPRequest request{.method = "PUT", .body = "payload"};
    request.headers.add("X-Test", "yes");
    const auto response = fetch("/echo", request);
    BOOST_TEST(response.body == "payload");
    BOOST_TEST(*response.headers.get("X-Method") == "PUT");
    BOOST_TEST(fetch("/header?name=X-Test", {.headers = request.headers}).body == "yes");
}

BOOST_AUTO_TEST_CASE(head_reads_headers_and_no_body) {
    const auto response = fetch("/hello", {.method = "HEAD"});
    BOOST_TEST(response.code == 200);
    BOOST_TEST(*response.headers.get("Content-Length") == "12");
    BOOST_TEST(response.body == "");
    BOOST_TEST(fetch("/hello").body == "Hello, world");  // the connection is still in step
    BOOST_TEST(server.connection_count() == 1u);
}

BOOST_AUTO_TEST_CASE(fetches_from_an_ipv6_literal) {
    httpserver::HTTPServer v6(
        [this](HTTPServerRequest& r, HTTPConnection& c) { return app(r, c); });
    try {
        v6.listen(0, "::1");
    } catch (const boost::system::system_error&) {
        BOOST_TEST_MESSAGE("no IPv6 loopback here: nothing to test");
        return;
    }
    const std::string base = "http://[::1]:" + std::to_string(v6.ports().at(0));
    const auto response = run([&]() { return client.fetch(base + "/header?name=Host"); });
    BOOST_TEST(response.body == "[::1]:" + std::to_string(v6.ports().at(0)));
}

BOOST_AUTO_TEST_CASE(a_post_without_content_type_is_sent_as_a_form) {
    // Tornado's simple client adds application/x-www-form-urlencoded to a POST.
    BOOST_TEST(fetch("/header?name=Content-Type", {.method = "POST", .body = "a=1"}).body ==
               "application/x-www-form-urlencoded");
}

BOOST_AUTO_TEST_CASE(a_body_must_match_the_method_unless_allowed) {
    BOOST_CHECK_THROW(fetch("/echo", {.method = "GET", .body = "x"}), typhoon::Error);
    BOOST_CHECK_THROW(fetch("/echo", {.method = "POST"}), typhoon::Error);
    BOOST_TEST(
        fetch("/echo", {.method = "GET", .body = "x", .allow_nonstandard_methods = true}).body ==
        "x");
}

BOOST_AUTO_TEST_CASE(body_producer_streams_a_chunked_body) {
    const httpclient::BodyProducer producer =
        [](const httpclient::BodyWrite& write) -> awaitable<void> {
        co_await write("first,");
        co_await gen::sleep(10ms);
        co_await write("second");
    };
    auto response = fetch("/echo", {.method = "POST", .body_producer = producer});
    BOOST_TEST(response.body == "first,second");
    BOOST_TEST(
        fetch("/header?name=Transfer-Encoding", {.method = "POST", .body_producer = producer})
            .body == "chunked");
    // With a Content-Length the body goes as it is.
    HTTPRequest sized{.method = "POST", .body_producer = producer};
    sized.headers.add("Content-Length", "12");
    BOOST_TEST(fetch("/echo", sized).body == "first,second");
}

BOOST_AUTO_TEST_CASE(expect_100_continue_sends_the_body_after_the_go_ahead) {
    const auto response =
        fetch("/echo", {.method = "POST", .body = "after 100", .expect_100_continue = true});
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "after 100");
    BOOST_TEST(
        fetch("/header?name=Expect", {.method = "POST", .body = "x", .expect_100_continue = true})
            .body == "100-continue");
    BOOST_TEST(client.idle_connection_count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_non_2xx_response_raises_with_the_response_attached) {
    const auto error = fetch_error("/nowhere");
    BOOST_TEST(error.code() == 404);
    BOOST_TEST(std::string(error.what()) == "HTTP 404: Not Found");
    BOOST_REQUIRE(error.response());
    BOOST_TEST(error.response()->body == "no such page");
}

BOOST_AUTO_TEST_CASE(raise_error_false_returns_the_response_with_its_error) {
    const auto response = fetch("/status?code=503", {.raise_error = false});
    BOOST_TEST(response.code == 503);
    BOOST_TEST(response.body == "status body");
    BOOST_REQUIRE(response.error);
    BOOST_CHECK_THROW(response.rethrow(), HTTPClientError);
}

BOOST_AUTO_TEST_CASE(keep_alive_reuses_one_connection) {
    for (int i = 0; i < 5; ++i)
        BOOST_TEST(fetch("/hello").body == "Hello, world");
    BOOST_TEST(client.idle_connection_count() == 1u);
    BOOST_TEST(server.connection_count() == 1u);  // counted by the server: one socket for five
}

BOOST_AUTO_TEST_CASE(connection_close_is_not_pooled) {
    HTTPRequest request;
    request.headers.add("Connection", "close");
    BOOST_TEST(fetch("/hello", request).body == "Hello, world");
    BOOST_TEST(client.idle_connection_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_pooled_connection_closed_by_the_server_is_replaced) {
    httpserver::HTTPServer impatient(
        [this](HTTPServerRequest& r, HTTPConnection& c) { return app(r, c); },
        {.idle_connection_timeout = 50ms});
    impatient.listen(0, "127.0.0.1");
    const std::string base = "http://127.0.0.1:" + std::to_string(impatient.ports().at(0));
    run([&]() -> awaitable<void> {
        BOOST_TEST((co_await client.fetch(base + "/hello")).body == "Hello, world");
        co_await gen::sleep(300ms);  // the server closes the idle connection meanwhile
        BOOST_TEST((co_await client.fetch(base + "/hello")).body == "Hello, world");
    });
}

BOOST_AUTO_TEST_CASE(follows_absolute_redirects) {
    const auto response = fetch("/redirect?code=301&to=" + url("/hello"));
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "Hello, world");
    BOOST_TEST(response.effective_url == url("/hello"));
    BOOST_TEST(response.request.url == url("/redirect?code=301&to=" + url("/hello")));
}

BOOST_AUTO_TEST_CASE(follows_relative_redirects) {
    // Python's urljoin("http://h/a/b/relative", "../hello?from=relative") is
    // "http://h/a/hello?from=relative".
    const auto response = fetch("/a/b/relative");
    BOOST_TEST(response.effective_url == url("/a/hello?from=relative"));
    BOOST_TEST(response.body == "relative landed from=relative");
    BOOST_TEST(fetch("/countdown/3").body == "landed");
}

BOOST_AUTO_TEST_CASE(a_redirect_chain_longer_than_max_redirects_ends_at_the_redirect) {
    // As Tornado's simple client: the last 302 is the response, so raise_error raises 302.
    const auto error = fetch_error("/countdown/4", {.max_redirects = 3});
    BOOST_TEST(error.code() == 302);
    BOOST_TEST(error.response()->effective_url == url("/countdown/1"));
    const auto loop_error = fetch_error("/loop");
    BOOST_TEST(loop_error.code() == 302);
    BOOST_TEST(fetch("/countdown/5").body == "landed");  // max_redirects is 5 by default
}

BOOST_AUTO_TEST_CASE(follow_redirects_false_returns_the_redirect) {
    const auto response = fetch("/countdown/1", {.follow_redirects = false, .raise_error = false});
    BOOST_TEST(response.code == 302);
    BOOST_TEST(*response.headers.get("Location") == "/countdown/0");
}

BOOST_AUTO_TEST_CASE(see_other_turns_a_post_into_a_get_and_307_keeps_it) {
    auto response = fetch("/redirect?code=303&to=/echo", {.method = "POST", .body = "data"});
    BOOST_TEST(*response.headers.get("X-Method") == "GET");
    BOOST_TEST(response.body == "");
    response = fetch("/redirect?code=302&to=/echo", {.method = "POST", .body = "data"});
    BOOST_TEST(*response.headers.get("X-Method") == "GET");
    response = fetch("/redirect?code=307&to=/echo", {.method = "POST", .body = "data"});
    BOOST_TEST(*response.headers.get("X-Method") == "POST");
    BOOST_TEST(response.body == "data");
}

BOOST_AUTO_TEST_CASE(reads_chunked_responses) {
    const auto response = fetch("/chunked");
    BOOST_TEST(response.body == "one,two,three");
    BOOST_TEST(*response.headers.get("Transfer-Encoding") == "chunked");
}

BOOST_AUTO_TEST_CASE(streaming_callback_gets_the_body_in_pieces_and_nothing_is_buffered) {
    std::vector<std::string> pieces;
    const auto response = fetch(
        "/chunked", {.streaming_callback = [&](std::string_view p) { pieces.emplace_back(p); }});
    BOOST_TEST(response.body == "");
    BOOST_TEST(pieces.size() >= 2u);
    std::string joined;
    for (const auto& p : pieces)
        joined += p;
    BOOST_TEST(joined == "one,two,three");
}

BOOST_AUTO_TEST_CASE(header_callback_gets_the_status_line_each_header_and_a_blank_line) {
    std::vector<std::string> lines;
    fetch("/hello", {.header_callback = [&](std::string_view l) { lines.emplace_back(l); }});
    BOOST_REQUIRE(lines.size() >= 3u);
    BOOST_TEST(lines.front() == "HTTP/1.1 200 OK\r\n");
    BOOST_TEST(lines.back() == "\r\n");
    BOOST_TEST((std::find(lines.begin(), lines.end(), "Content-Length: 12\r\n") != lines.end()));
}

BOOST_AUTO_TEST_CASE(callbacks_skip_the_redirects_that_are_followed) {
    std::vector<std::string> lines;
    std::string streamed;
    fetch("/countdown/2", {.streaming_callback = [&](std::string_view p) { streamed += p; },
                           .header_callback = [&](std::string_view l) { lines.emplace_back(l); }});
    BOOST_TEST(streamed == "landed");
    BOOST_TEST(std::count(lines.begin(), lines.end(), "\r\n") == 1);
}

BOOST_AUTO_TEST_CASE(gzip_responses_are_decompressed_and_the_encoding_header_renamed) {
    const auto response = fetch("/gzip");
    BOOST_TEST(response.body == std::string(100000, 'z'));
    BOOST_TEST(!response.headers.contains("Content-Encoding"));
    BOOST_TEST(*response.headers.get("X-Consumed-Content-Encoding") == "gzip");
    BOOST_TEST(*response.headers.get("Content-Length") != "100000");  // it came compressed
    // Without decompress_response no gzip is asked for.
    BOOST_TEST(fetch("/gzip", {.decompress_response = false}).body.size() == 100000u);
}

BOOST_AUTO_TEST_CASE(a_gzip_bomb_is_cut_off_at_max_body_size) {
    // 100,000 bytes compress to a few hundred: the compressed size passes, the inflated does not.
    const auto error = fetch_error("/gzip", {.max_body_size = 50000});
    BOOST_TEST(error.code() == 599);
    BOOST_TEST(contains(error.what(), "Decompressed response body from 127.0.0.1:"));
    BOOST_TEST(contains(error.what(), "larger than max_body_size (50000 bytes)"));
}

BOOST_AUTO_TEST_CASE(a_body_that_is_not_gzip_is_a_599) {
    RawServer raw(
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\n\r\nnot gzip!");
    const auto error = [&] {
        try {
            run([&]() { return client.fetch(raw.url()); });
        } catch (const HTTPClientError& e) {
            return e;
        }
        return HTTPClientError(0);
    }();
    BOOST_TEST(error.code() == 599);
    BOOST_TEST(contains(error.what(), "invalid gzip body"));
}

BOOST_AUTO_TEST_CASE(a_request_line_or_header_breaking_byte_is_refused_before_connecting) {
    RecordingServer raw;
    const std::string https_target = "https://127.0.0.1\r\nX-Injected: 1:443/";
    struct Case {
        std::string url;
        HTTPRequest request;
        std::string message;
    };
    std::vector<Case> cases{
        {raw.url("/a\r\nX-Injected: 1"), {}, "Invalid character '\\r' in url: 'http://127.0.0.1:"},
        {raw.url("/a\nb"), {}, "Invalid character '\\n' in url"},
        {raw.url("/a b"), {}, "Invalid character ' ' in url"},
        {raw.url("/a\tb"), {}, "Invalid character '\\t' in url"},
        {raw.url("/a\x01"
                 "b"),
         {},
         "Invalid character '\\x01' in url"},
        {raw.url("/a\x7f"), {}, "Invalid character '\\x7f' in url"},
        {raw.url("/"),
         {.method = "GET / HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET"},
         "Invalid character ' ' in HTTP method 'GET / HTTP/1.1\\r\\nX-Injected: 1"},
        {raw.url("/"), {.method = "GET\r\n"}, "Invalid character '\\r' in HTTP method"},
        {raw.url("/"), {.method = std::string("G\0T", 3)}, "Invalid character '\\x00' in HTTP"},
        {raw.url("/"), {.method = ""}, "Empty HTTP method"},
        {raw.url("/"),
         {.user_agent = "spider\r\nX-Injected: 1"},
         "Invalid character '\\r' in the value of request header User-Agent: 'spider\\r\\n"},
        // The CONNECT line of an https request through a proxy carries the URL's host.
        {https_target,
         {.proxy_host = "127.0.0.1", .proxy_port = raw.port()},
         "Invalid character '\\r' in url: 'https://127.0.0.1\\r\\nX-Injected: 1:443/'"},
        {"https://127.0.0.1 X/",
         {.proxy_host = "127.0.0.1", .proxy_port = raw.port()},
         "Invalid character ' ' in url"},
    };
    const auto with_header = [&](std::string name, std::string value, std::string message) {
        HTTPRequest request;
        request.headers.add(name, value);
        cases.push_back({raw.url("/"), std::move(request), std::move(message)});
    };
    with_header("X-Test", "a\r\nX-Injected: 1",
                "Invalid character '\\r' in the value of request "
                "header X-Test: 'a\\r\\nX-Injected: 1'");
    with_header("X-Test", "a\nb", "Invalid character '\\n' in the value of request header");
    with_header("X-Test", std::string("a\0b", 3), "Invalid character '\\x00' in the value");
    with_header("X-Test",
                "a\x01"
                "b",
                "Invalid character '\\x01' in the value");
    with_header("X-Test", "a\x7f", "Invalid character '\\x7f' in the value");
    with_header("X Test", "a", "Invalid character ' ' in request header name 'X test'");
    with_header("X-Test\r\nX-Injected", "a", "Invalid character '\\r' in request header name");
    with_header("X:Test", "a", "Invalid character ':' in request header name");
    with_header("X\x01", "a", "Invalid character '\\x01' in request header name");
    for (auto& c : cases) {
        BOOST_TEST_CONTEXT(c.message) {
            BOOST_TEST(contains(error_of(*this, c.url, c.request), c.message));
        }
    }
    run([]() { return gen::sleep(50ms); });  // a connection made anyway would be accepted now
    BOOST_TEST(raw.connections == 0);
    BOOST_TEST(raw.received == "");
    // A tab is allowed inside a value (RFC 9110 §5.5), and so are bytes over 0x7f (obs-text).
    HTTPRequest tabbed;
    tabbed.headers.add("X-Test", "a\tb\xc3\xa9");
    BOOST_TEST(fetch("/header?name=X-Test", tabbed).body == "a\tb\xc3\xa9");
}

BOOST_AUTO_TEST_CASE(a_redirect_to_another_origin_drops_authorization_and_cookies) {
    httpserver::HTTPServer other(
        [this](HTTPServerRequest& r, HTTPConnection& c) { return app(r, c); });
    other.listen(0, "127.0.0.1");
    const std::string elsewhere = "http://127.0.0.1:" + std::to_string(other.ports().at(0));
    const auto seen_after = [&](const std::string& to, const std::string& name,
                                HTTPRequest request) {
        return fetch("/redirect?code=302&to=" + to + "/header?name=" + name, std::move(request))
            .body;
    };
    HTTPRequest with_headers;
    with_headers.headers.add("Authorization", "Bearer secret");
    with_headers.headers.add("Cookie", "session=secret");
    with_headers.headers.add("X-Other", "kept");
    const HTTPRequest with_basic{.auth_username = "user", .auth_password = "secret"};
    // Another port is another origin (RFC 9110 §4.3.1).
    BOOST_TEST(seen_after(elsewhere, "Authorization", with_headers) == "<none>");
    BOOST_TEST(seen_after(elsewhere, "Cookie", with_headers) == "<none>");
    BOOST_TEST(seen_after(elsewhere, "X-Other", with_headers) == "kept");
    BOOST_TEST(seen_after(elsewhere, "Authorization", with_basic) == "<none>");
    // Another host name for the same address is another origin too.
    const std::string by_name = "http://localhost:" + std::to_string(port);
    BOOST_TEST(seen_after(by_name, "Authorization", with_basic) == "<none>");
    // The same origin keeps them, whether the Location is relative or absolute.
    BOOST_TEST(seen_after("", "Authorization", with_headers) == "Bearer secret");
    BOOST_TEST(seen_after("", "Cookie", with_headers) == "session=secret");
    BOOST_TEST(seen_after(url(""), "Authorization", with_basic) == "Basic dXNlcjpzZWNyZXQ=");
    // The request the caller made is left as it was.
    const auto response = fetch("/redirect?code=307&to=" + elsewhere + "/hello", with_basic);
    BOOST_TEST(*response.request.auth_username == "user");
}

BOOST_AUTO_TEST_CASE(a_chunk_size_line_over_4_kib_is_a_599) {
    const auto chunked = [](const std::string& size_line) {
        return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size_line +
               "\r\nhello\r\n0\r\n\r\n";
    };
    RawServer fits(chunked("5;ext=" + std::string(4090, 'x')));  // a 4096-byte line
    BOOST_TEST(run([&]() { return client.fetch(fits.url()); }).body == "hello");
    RawServer long_extension(chunked("5;ext=" + std::string(4091, 'x')));
    BOOST_TEST(
        contains(error_of(*this, long_extension.url()),
                 "Chunk-size line from 127.0.0.1:" + std::to_string(long_extension.ports().at(0)) +
                     " longer than 4096 bytes"));
    RawServer leading_zeros(chunked(std::string(5000, '0') + "5"));
    BOOST_TEST(contains(error_of(*this, leading_zeros.url()), "longer than 4096 bytes"));
    // One that never ends is refused once the read buffer is full, not buffered without end.
    RawServer endless("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=" +
                      std::string(1 << 20, 'x'));
    BOOST_TEST(contains(error_of(*this, endless.url()), "longer than 4096 bytes"));
    // The last chunk's line too.
    RawServer last("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0;ext=" +
                   std::string(5000, 'x') + "\r\n\r\n");
    BOOST_TEST(contains(error_of(*this, last.url()), "longer than 4096 bytes"));
}

BOOST_AUTO_TEST_CASE(trailer_fields_count_against_max_header_size) {
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";  // 47 bytes
    const auto with_trailer = [&](std::size_t value_size) {
        return head + "5\r\nhello\r\n0\r\nX-Trailer: " + std::string(value_size, 't') + "\r\n\r\n";
    };
    RawServer small(with_trailer(100));
    BOOST_TEST(run([&]() { return client.fetch(small.url(), {.max_header_size = 1000}); }).body ==
               "hello");
    RawServer big(with_trailer(1000));  // fits alone, not with the header block
    BOOST_TEST(
        contains(error_of(*this, big.url(), {.max_header_size = 1000}),
                 "header block and trailers from 127.0.0.1:" + std::to_string(big.ports().at(0)) +
                     " larger than max_header_size (1000 bytes)"));
    // Trailers that never end are cut off too, at the client's default limit.
    RawServer endless(head + "5\r\nhello\r\n0\r\nX-Trailer: " + std::string(1 << 20, 't'));
    BOOST_TEST(contains(error_of(*this, endless.url()), "larger than max_header_size (65536"));
}

BOOST_AUTO_TEST_CASE(a_gzip_body_cut_before_its_trailer_is_a_599) {
    const std::string whole = gzipped(std::string(100000, 'z'));
    const auto serve = [](const std::string& body) {
        return "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
    };
    RawServer complete(serve(whole));
    BOOST_TEST(run([&]() { return client.fetch(complete.url()); }).body.size() == 100000u);
    // Without the 8-byte trailer (CRC32 and length, RFC 1952 §2.2), and cut mid-stream.
    RawServer no_trailer(serve(whole.substr(0, whole.size() - 8)));
    BOOST_TEST(contains(error_of(*this, no_trailer.url()),
                        "Malformed HTTP response from 127.0.0.1:" +
                            std::to_string(no_trailer.ports().at(0)) + ": truncated gzip body"));
    RawServer halved(serve(whole.substr(0, whole.size() / 2)));
    BOOST_TEST(contains(error_of(*this, halved.url()), "truncated gzip body"));
    std::string streamed;
    BOOST_TEST(contains(
        error_of(*this, halved.url(),
                 {.streaming_callback = [&](std::string_view piece) { streamed += piece; }}),
        "truncated gzip body"));
    // A response without a body needs no gzip stream.
    RawServer empty("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n");
    BOOST_TEST(run([&]() { return client.fetch(empty.url()); }).body == "");
}

BOOST_AUTO_TEST_CASE(sends_basic_auth_from_options_or_from_the_url) {
    // Tornado sends "Basic " + base64("Aladdin:open sesame").
    BOOST_TEST(fetch("/header?name=Authorization",
                     {.auth_username = "Aladdin", .auth_password = "open sesame"})
                   .body == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    const auto response = run([&]() {
        return client.fetch("http://me:pw@127.0.0.1:" + std::to_string(port) +
                            "/header?name=Authorization");
    });
    BOOST_TEST(response.body == "Basic bWU6cHc=");
    BOOST_CHECK_THROW(fetch("/hello", {.auth_username = "a", .auth_mode = "digest"}),
                      typhoon::Error);
}

BOOST_AUTO_TEST_CASE(user_agent_defaults_to_typhoon_and_can_be_set) {
    BOOST_TEST(fetch("/header?name=User-Agent").body.starts_with("Typhoon/"));
    BOOST_TEST(fetch("/header?name=User-Agent", {.user_agent = "spider/1"}).body == "spider/1");
}

BOOST_AUTO_TEST_CASE(if_modified_since_is_an_http_date) {
    // 1359312200 is "Sun, 27 Jan 2013 18:43:20 GMT" (httputil.format_timestamp in Tornado).
    const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1359312200));
    BOOST_TEST(fetch("/header?name=If-Modified-Since", {.if_modified_since = when}).body ==
               "Sun, 27 Jan 2013 18:43:20 GMT");
}

BOOST_AUTO_TEST_CASE(a_body_over_max_body_size_is_a_599) {
    const auto error = fetch_error("/big", {.max_body_size = 1000});
    BOOST_TEST(error.code() == 599);
    BOOST_TEST(contains(error.what(), "larger than max_body_size (1000 bytes)"));
    BOOST_TEST(fetch("/big").body.size() == 1u << 20);
}

BOOST_AUTO_TEST_CASE(a_header_block_over_max_header_size_is_a_599) {
    const auto error = fetch_error("/big_header", {.max_header_size = 1000});
    BOOST_TEST(error.code() == 599);
    BOOST_TEST(contains(error.what(), "larger than max_header_size (1000 bytes)"));
    BOOST_TEST(fetch("/big_header").body == "big header");
}

BOOST_AUTO_TEST_CASE(a_slow_response_is_a_request_timeout) {
    const auto error = fetch_error("/slow", {.request_timeout = 100ms});
    BOOST_TEST(error.code() == 599);
    BOOST_TEST(std::string(error.what()) == "Timeout during request");
    BOOST_TEST(fetch("/slow").body == "slow done");
}

BOOST_AUTO_TEST_CASE(a_server_that_never_accepts_is_a_connect_timeout) {
    // A listening socket with a full accept queue: the kernel drops further SYNs, so a connect
    // hangs until the client gives up.
    auto sockets = netutil::bind_sockets(0, "127.0.0.1", {.backlog = 0});
    const auto full_port = sockets.at(0).port();
    std::vector<int> fillers;
    for (int i = 0; i < 3; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(full_port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        fillers.push_back(fd);
    }
    HTTPClientError error(0);
    try {
        run([&]() {
            return client.fetch("http://127.0.0.1:" + std::to_string(full_port) + "/",
                                {.connect_timeout = 200ms});
        });
    } catch (const HTTPClientError& e) {
        error = e;
    }
    for (const int fd : fillers)
        ::close(fd);
    BOOST_TEST(std::string(error.what()) == "Timeout while connecting");
}

BOOST_AUTO_TEST_CASE(a_refused_connection_is_a_599_naming_the_address) {
    std::uint16_t closed_port = 0;
    {
        auto sockets = netutil::bind_sockets(0, "127.0.0.1");
        closed_port = sockets.at(0).port();
    }
    try {
        run([&]() { return client.fetch("http://127.0.0.1:" + std::to_string(closed_port)); });
        BOOST_FAIL("no error");
    } catch (const httpclient::HTTPStreamClosedError& e) {
        BOOST_TEST(e.code() == 599);
        BOOST_TEST(contains(e.what(), "Could not connect to 127.0.0.1:" +
                                          std::to_string(closed_port) + ": Connection refused"));
    }
}

BOOST_AUTO_TEST_CASE(a_name_that_does_not_resolve_is_a_599_naming_the_host) {
    struct Failing final : netutil::Resolver {
        awaitable<std::vector<boost::asio::ip::tcp::endpoint>> resolve(std::string, std::uint16_t,
                                                                       netutil::Family) override {
            throw boost::system::system_error(boost::asio::error::host_not_found);
            co_return std::vector<boost::asio::ip::tcp::endpoint>{};
        }
    };
    AsyncHTTPClient isolated({.resolver = std::make_shared<Failing>()});
    try {
        run([&]() { return isolated.fetch("http://no-such-host.invalid/"); });
        BOOST_FAIL("no error");
    } catch (const httpclient::HTTPStreamClosedError& e) {
        BOOST_TEST(contains(e.what(), "Could not resolve host no-such-host.invalid"));
    }
}

BOOST_AUTO_TEST_CASE(hostname_mapping_replaces_the_name_but_keeps_the_host_header) {
    AsyncHTTPClient mapped({.hostname_mapping = {{"example.test", "127.0.0.1"}}});
    const auto response = run([&]() {
        return mapped.fetch("http://example.test:" + std::to_string(port) + "/header?name=Host");
    });
    BOOST_TEST(response.body == "example.test:" + std::to_string(port));
}

BOOST_AUTO_TEST_CASE(a_truncated_body_is_a_599) {
    RawServer raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
    try {
        run([&]() { return client.fetch(raw.url()); });
        BOOST_FAIL("no error");
    } catch (const httpclient::HTTPStreamClosedError& e) {
        BOOST_TEST(contains(e.what(), "before the response was complete (truncated body)"));
    }
}

BOOST_AUTO_TEST_CASE(a_server_closing_without_answer_is_a_599) {
    RawServer raw("");
    try {
        run([&]() { return client.fetch(raw.url()); });
        BOOST_FAIL("no error");
    } catch (const httpclient::HTTPStreamClosedError& e) {
        BOOST_TEST(contains(e.what(), "before a response"));
    }
}

BOOST_AUTO_TEST_CASE(a_malformed_response_is_a_599) {
    RawServer raw("SPDY/9 200 OK\r\n\r\n");
    const auto error = [&] {
        try {
            run([&]() { return client.fetch(raw.url()); });
        } catch (const HTTPClientError& e) {
            return e;
        }
        return HTTPClientError(0);
    }();
    BOOST_TEST(error.code() == 599);
    BOOST_TEST(contains(error.what(), "Malformed HTTP response"));
}

BOOST_AUTO_TEST_CASE(a_status_code_below_100_is_a_599) {
    // Beast takes any three digits; a leading zero is no status class (RFC 9110 §15).
    RawServer raw("HTTP/1.1 050 Odd\r\nContent-Length: 2\r\n\r\nok");
    const std::string error = error_of(*this, raw.url());
    BOOST_TEST(contains(
        error, "Malformed HTTP response from 127.0.0.1:" + std::to_string(raw.ports().at(0)) +
                   ": status code 50 is not an HTTP status"));
    RawServer zero("HTTP/1.1 000 None\r\n\r\n");
    BOOST_TEST(contains(error_of(*this, zero.url()), "status code 0 is not"));
    // Codes from 600 to 999 are outside the registry but still well formed: they reach the
    // caller, as they do in Tornado.
    RawServer private_use("HTTP/1.1 799 Private\r\nContent-Length: 2\r\n\r\nok");
    try {
        run([&]() { return client.fetch(private_use.url()); });
        BOOST_FAIL("no error");
    } catch (const HTTPClientError& e) {
        BOOST_TEST(e.code() == 799);
    }
}

BOOST_AUTO_TEST_CASE(an_http_1_0_body_is_read_until_close_and_interim_responses_skipped) {
    RawServer raw("HTTP/1.1 102 Processing\r\n\r\nHTTP/1.0 200 OK\r\n\r\nall of it");
    const auto response = run([&]() { return client.fetch(raw.url()); });
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "all of it");
    BOOST_TEST(client.idle_connection_count() == 0u);
}

BOOST_AUTO_TEST_CASE(failures_leave_no_socket_open) {
    const auto open_descriptors = [] {
        return std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                             std::filesystem::directory_iterator{});
    };
    RawServer truncated("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
    RawServer garbage("SPDY/9 200 OK\r\n\r\n");
    // Warm up what stays open for the process's lifetime (the loop's descriptors).
    fetch("/hello");
    client.close();
    run([]() { return gen::sleep(100ms); });  // the server sees the close
    BOOST_TEST(server.connection_count() == 0u);
    const auto before = open_descriptors();
    for (int i = 0; i < 3; ++i) {
        BOOST_CHECK_THROW(run([&]() { return client.fetch(truncated.url()); }), HTTPClientError);
        BOOST_CHECK_THROW(run([&]() { return client.fetch(garbage.url()); }), HTTPClientError);
        BOOST_CHECK_THROW(fetch("/slow", {.request_timeout = 50ms}), HTTPClientError);
        BOOST_CHECK_THROW(fetch("/big", {.max_body_size = 10}), HTTPClientError);
        BOOST_CHECK_THROW(fetch("/big_header", {.max_header_size = 100}), HTTPClientError);
        BOOST_CHECK_THROW(run([&]() { return client.fetch("http://127.0.0.1:1/"); }),
                          HTTPClientError);
    }
    BOOST_TEST(client.idle_connection_count() == 0u);
    // The server's side of the timed-out /slow requests closes once their handlers finish.
    run([]() { return gen::sleep(500ms); });
    BOOST_TEST(server.connection_count() == 0u);
    BOOST_TEST(open_descriptors() == before);
}

BOOST_AUTO_TEST_CASE(unsupported_schemes_are_refused) {
    BOOST_CHECK_THROW(run([&]() { return client.fetch("ftp://127.0.0.1/"); }), HTTPClientError);
}

BOOST_AUTO_TEST_CASE(max_clients_bounds_concurrency_and_queues_the_rest) {
    AsyncHTTPClient bounded({.max_clients = 10});
    std::vector<std::string> bodies(1000);
    run([&]() -> awaitable<void> {
        std::vector<awaitable<void>> fetches;
        for (std::size_t i = 0; i < bodies.size(); ++i)
            fetches.push_back(
                [](AsyncHTTPClient& c, std::string u, std::string& out) -> awaitable<void> {
                    out = (co_await c.fetch(u)).body;
                }(bounded, url("/busy?i=" + std::to_string(i)), bodies[i]));
        co_await gen::multi(std::move(fetches));
    });
    for (std::size_t i = 0; i < bodies.size(); ++i)
        BOOST_TEST(bodies[i] == "busy " + std::to_string(i));
    BOOST_TEST(app.concurrency.most <= 10);
    BOOST_TEST(app.concurrency.most >= 2);
    BOOST_TEST(server.connection_count() <= 10u);
}

BOOST_AUTO_TEST_CASE(a_request_waiting_too_long_in_the_queue_times_out) {
    AsyncHTTPClient single({.max_clients = 1});
    std::string first;
    std::string second_error;
    run([&]() -> awaitable<void> {
        std::vector<awaitable<void>> fetches;
        fetches.push_back(
            [](AsyncHTTPClient& c, std::string u, std::string& out) -> awaitable<void> {
                out = (co_await c.fetch(u)).body;
            }(single, url("/slow"), first));
        fetches.push_back(
            [](AsyncHTTPClient& c, std::string u, std::string& out) -> awaitable<void> {
                try {
                    co_await c.fetch(u, {.connect_timeout = 100ms});
                } catch (const httpclient::HTTPTimeoutError& e) {
                    out = e.what();
                }
            }(single, url("/hello"), second_error));
        co_await gen::multi(std::move(fetches));
    });
    BOOST_TEST(first == "slow done");
    BOOST_TEST(second_error == "Timeout in request queue");
}

BOOST_AUTO_TEST_CASE(a_client_may_go_while_its_fetches_run) {
    auto doomed = std::make_unique<AsyncHTTPClient>();
    std::string body;
    run([&]() -> awaitable<void> {
        std::vector<awaitable<void>> steps;
        steps.push_back([](AsyncHTTPClient& c, std::string u, std::string& out) -> awaitable<void> {
            out = (co_await c.fetch(u)).body;
        }(*doomed, url("/slow"), body));
        steps.push_back([](std::unique_ptr<AsyncHTTPClient>& c) -> awaitable<void> {
            co_await gen::sleep(50ms);
            c.reset();
        }(doomed));
        co_await gen::multi(std::move(steps));
    });
    BOOST_TEST(body == "slow done");
}

BOOST_AUTO_TEST_CASE(with_timeout_cancels_a_fetch_promptly) {
    const auto start = std::chrono::steady_clock::now();
    BOOST_CHECK_THROW(run([&]() { return gen::with_timeout(50ms, client.fetch(url("/slow"))); }),
                      gen::TimeoutError);
    const auto waited = std::chrono::steady_clock::now() - start;
    BOOST_TEST(std::chrono::duration<double>(waited).count() < 0.25);
    BOOST_TEST(client.idle_connection_count() == 0u);  // the connection was mid-response
    BOOST_TEST(fetch("/hello").body == "Hello, world");
}

BOOST_AUTO_TEST_CASE(time_info_splits_the_time_of_the_last_hop) {
    const auto first = fetch("/slow");
    BOOST_TEST(first.request_time >= 0.3);
    BOOST_TEST(first.time_info.at("total") >= 0.3);
    BOOST_TEST(first.time_info.at("queue") >= 0.0);
    BOOST_TEST(first.time_info.at("connect") > 0.0);             // a new connection
    BOOST_TEST(fetch("/hello").time_info.at("connect") == 0.0);  // the kept-alive one
}

BOOST_AUTO_TEST_CASE(current_is_one_client_per_loop) {
    AsyncHTTPClient* first = &AsyncHTTPClient::current();
    BOOST_TEST(first == &AsyncHTTPClient::current());
    BOOST_TEST(run([&]() { return AsyncHTTPClient::current().fetch(url("/hello")); }).body ==
               "Hello, world");
    ioloop::IOLoop other({.make_current = false});
    other.run_sync([&]() -> awaitable<void> {
        BOOST_TEST(&AsyncHTTPClient::current() != first);
        co_return;
    });
}

BOOST_AUTO_TEST_CASE(configure_sets_the_options_of_shared_clients_made_later) {
    AsyncHTTPClient::configure({.hostname_mapping = {{"configured.test", "127.0.0.1"}}});
    const std::string target = "http://configured.test:" + std::to_string(port) + "/hello";
    const auto body = run([&]() { return AsyncHTTPClient::current().fetch(target); }).body;
    AsyncHTTPClient::configure({});
    BOOST_TEST(body == "Hello, world");
    ioloop::IOLoop later({.make_current = false});  // its shared client has the defaults again
    // (Resolving the reserved .test name fails, or times out where DNS is unreachable.)
    BOOST_CHECK_THROW(later.run_sync([&]() {
        return AsyncHTTPClient::current().fetch(target, {.connect_timeout = 2s});
    }),
                      HTTPClientError);
}

BOOST_AUTO_TEST_CASE(the_blocking_client_runs_its_own_loop) {
    // The server runs on a loop in another thread; this thread has no running loop.
    std::atomic<std::uint16_t> served_port{0};
    ioloop::IOLoop* server_loop = nullptr;
    std::thread thread([&] {
        ioloop::IOLoop own;
        Application other_app;
        httpserver::HTTPServer other(
            [&](HTTPServerRequest& r, HTTPConnection& c) { return other_app(r, c); });
        other.listen(0, "127.0.0.1");
        server_loop = &own;
        served_port = other.ports().at(0);
        own.start();
    });
    while (served_port == 0)
        std::this_thread::sleep_for(1ms);
    {
        httpclient::HTTPClient blocking;
        const std::string base = "http://127.0.0.1:" + std::to_string(served_port);
        BOOST_TEST(blocking.fetch(base + "/hello").body == "Hello, world");
        BOOST_TEST(blocking.fetch(base + "/echo", {.method = "POST", .body = "b"}).body == "b");
        BOOST_CHECK_THROW(blocking.fetch(base + "/missing"), HTTPClientError);
    }
    server_loop->add_callback([server_loop] { server_loop->stop(); });
    thread.join();
}

BOOST_AUTO_TEST_SUITE_END()
