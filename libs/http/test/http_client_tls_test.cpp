#include <typhoon/http/http_client.hpp>

#include <typhoon/core/log.hpp>
#include <typhoon/core/log_capture.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/net/tcp_client.hpp>
#include <typhoon/net/tcp_server.hpp>

#include "test_certificates.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/test/unit_test.hpp>

#include <openssl/ssl.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

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

namespace ssl = boost::asio::ssl;

awaitable<void> answer(HTTPServerRequest& request, HTTPConnection& connection) {
    const std::string body = request.method == "POST" ? request.body : "secure " + request.path;
    HTTPHeaders headers;
    headers.add("Content-Length", std::to_string(body.size()));
    co_await connection.write_headers({"HTTP/1.1", 200, "OK"}, std::move(headers), body);
    co_await connection.finish();
}

/// A temporary folder for PEM files, removed with the fixture.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char pattern[] = "/tmp/typhoon-client-tls-XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& content) const {
        const auto file = path / name;
        std::ofstream(file) << content;
        return file.string();
    }
};

struct TLSFixture {
    ioloop::IOLoop loop;
    http_test::TestAuthority authority;
    TempDir dir;
    std::string ca_file = dir.write("ca.pem", authority.certificate_pem());
    std::string sni;  // the server name the last client asked for
    AsyncHTTPClient client{{.hostname_mapping = {{"localhost", "127.0.0.1"}}}};

    /// An HTTPS server on 127.0.0.1 with `certificate`; with `client_ca`, it demands a client
    /// certificate signed by that authority.
    std::unique_ptr<httpserver::HTTPServer> serve(const http_test::IssuedCertificate& certificate,
                                                  bool demand_client_certificate = false,
                                                  httpserver::RequestCallback handler = answer) {
        auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
        context->use_certificate_chain(boost::asio::buffer(certificate.certificate_pem));
        context->use_private_key(boost::asio::buffer(certificate.private_key_pem),
                                 ssl::context::pem);
        if (demand_client_certificate) {
            const std::string ca = authority.certificate_pem();
            context->add_certificate_authority(boost::asio::buffer(ca));
            context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
        }
        SSL_CTX_set_tlsext_servername_arg(context->native_handle(), &sni);
        SSL_CTX_set_tlsext_servername_callback(
            context->native_handle(), +[](SSL* ssl, int*, void* arg) -> int {
                const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
                *static_cast<std::string*>(arg) = name ? name : "";
                return SSL_TLSEXT_ERR_OK;
            });
        auto server = std::make_unique<httpserver::HTTPServer>(
            std::move(handler), httpserver::HTTPServerOptions{.ssl_context = context});
        server->listen(0, "127.0.0.1");
        return server;
    }
    static std::string url(const std::string& host, const httpserver::HTTPServer& server,
                           const std::string& path = "/hello") {
        return "https://" + host + ":" + std::to_string(server.ports().at(0)) + path;
    }
    HTTPResponse fetch(const std::string& url, HTTPRequest request = {}) {
        return loop.run_sync([&]() { return client.fetch(url, request); },
                             std::chrono::seconds(20));
    }
    std::string error_of(const std::string& url, HTTPRequest request = {}) {
        try {
            fetch(url, std::move(request));
        } catch (const HTTPClientError& e) {
            BOOST_TEST(e.code() == 599);
            return e.what();
        }
        return "no error";
    }
};

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

/// An HTTP proxy for the tests: CONNECT opens a tunnel to 127.0.0.1 at the port asked for;
/// any other request is answered by the proxy itself. Records each request head.
class TestProxy final : public tcpserver::TCPServer {
public:
    TestProxy() { listen(0, "127.0.0.1"); }
    std::uint16_t port() const { return ports().at(0); }
    std::vector<std::string> heads;

protected:
    awaitable<void> handle_stream(std::unique_ptr<iostream::IOStream> downstream,
                                  std::string) override {
        const std::string head = co_await downstream->read_until("\r\n\r\n");
        heads.push_back(head);
        if (!head.starts_with("CONNECT ")) {
            co_await downstream->write(
                "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nproxied!");
            co_return;
        }
        const std::string target = head.substr(8, head.find(' ', 8) - 8);
        const auto port =
            static_cast<std::uint16_t>(std::stoi(target.substr(target.rfind(':') + 1)));
        std::unique_ptr<iostream::IOStream> upstream;
        try {
            upstream = co_await tcpclient::TCPClient().connect("127.0.0.1", port);
        } catch (const iostream::StreamClosedError&) {
        }
        if (!upstream) {
            co_await downstream->write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
            co_return;
        }
        co_await downstream->write("HTTP/1.1 200 Connection established\r\n\r\n");
        std::vector<awaitable<void>> pumps;
        pumps.push_back(pump(*downstream, *upstream));
        pumps.push_back(pump(*upstream, *downstream));
        co_await gen::multi(std::move(pumps));
    }

private:
    static awaitable<void> pump(iostream::IOStream& from, iostream::IOStream& to) {
        try {
            for (;;)
                co_await to.write(co_await from.read_bytes(64 * 1024, {.partial = true}));
        } catch (const iostream::StreamClosedError&) {
        }
        to.close();
        from.close();
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_client_tls_test, TLSFixture)

BOOST_AUTO_TEST_CASE(https_with_a_trusted_ca_works_and_sends_sni) {
    const auto server = serve(authority.issue("localhost"));
    const auto response = fetch(url("localhost", *server), {.ca_certs = ca_file});
    BOOST_TEST(response.body == "secure /hello");
    BOOST_TEST(sni == "localhost");
}

BOOST_AUTO_TEST_CASE(an_ip_address_is_checked_against_the_certificate_and_sends_no_sni) {
    const auto server = serve(authority.issue("127.0.0.1"));
    BOOST_TEST(fetch(url("127.0.0.1", *server), {.ca_certs = ca_file}).body == "secure /hello");
    BOOST_TEST(sni == "");  // RFC 6066 §3: literal addresses are not sent as server names
}

BOOST_AUTO_TEST_CASE(an_untrusted_certificate_fails_by_default) {
    const auto server = serve(authority.issue("localhost"));
    const auto error = error_of(url("localhost", *server));
    BOOST_TEST(contains(error, "SSL handshake with localhost:"));
    BOOST_TEST(contains(error, "certificate verify failed"));
    BOOST_TEST(contains(error, "(unable to get local issuer certificate)"));
}

BOOST_AUTO_TEST_CASE(validate_cert_false_accepts_any_certificate) {
    const auto server = serve(authority.issue("somewhere.else", {.expired = true}));
    BOOST_TEST(fetch(url("localhost", *server), {.validate_cert = false}).body == "secure /hello");
}

BOOST_AUTO_TEST_CASE(a_certificate_for_another_host_fails) {
    const auto server = serve(authority.issue("otherhost"));
    const auto error = error_of(url("localhost", *server), {.ca_certs = ca_file});
    BOOST_TEST(contains(error, "(hostname mismatch)"));
}

BOOST_AUTO_TEST_CASE(an_expired_certificate_fails) {
    const auto server = serve(authority.issue("localhost", {.expired = true}));
    const auto error = error_of(url("localhost", *server), {.ca_certs = ca_file});
    BOOST_TEST(contains(error, "(certificate has expired)"));
}

BOOST_AUTO_TEST_CASE(a_missing_ca_file_is_a_clear_error) {
    const auto server = serve(authority.issue("localhost"));
    const auto error = error_of(url("localhost", *server), {.ca_certs = "/nonexistent/ca.pem"});
    BOOST_TEST(contains(error, "Could not load the TLS files"));
    BOOST_TEST(contains(error, "/nonexistent/ca.pem"));
}

BOOST_AUTO_TEST_CASE(a_client_certificate_is_presented_when_given) {
    const auto server = serve(authority.issue("localhost"), true);
    const auto mine = authority.issue("client");
    const auto cert_file = dir.write("client.pem", mine.certificate_pem);
    const auto key_file = dir.write("client.key", mine.private_key_pem);
    BOOST_TEST(fetch(url("localhost", *server),
                     {.ca_certs = ca_file, .client_cert = cert_file, .client_key = key_file})
                   .body == "secure /hello");
    // Without one the server ends the handshake (TLS 1.3 reports it on the first read).
    log::LogCapture capture{{.logger = &log::gen_log}};
    BOOST_CHECK_THROW(fetch(url("localhost", *server), {.ca_certs = ca_file}), HTTPClientError);
    BOOST_TEST(capture.contains("peer did not return a certificate"));
}

BOOST_AUTO_TEST_CASE(tls_connections_are_kept_alive) {
    const auto server = serve(authority.issue("localhost"));
    for (int i = 0; i < 3; ++i)
        BOOST_TEST(fetch(url("localhost", *server), {.ca_certs = ca_file}).body == "secure /hello");
    BOOST_TEST(client.idle_connection_count() == 1u);
    BOOST_TEST(server->connection_count() == 1u);
}

BOOST_AUTO_TEST_CASE(https_through_a_proxy_tunnels_with_connect) {
    const auto server = serve(authority.issue("localhost"));
    TestProxy proxy;
    const auto response =
        fetch(url("localhost", *server, "/tunnelled"), {.proxy_host = "127.0.0.1",
                                                        .proxy_port = proxy.port(),
                                                        .proxy_username = "u",
                                                        .proxy_password = "p",
                                                        .ca_certs = ca_file});
    BOOST_TEST(response.body == "secure /tunnelled");
    BOOST_REQUIRE(proxy.heads.size() == 1u);
    BOOST_TEST(proxy.heads[0].starts_with(
        "CONNECT localhost:" + std::to_string(server->ports().at(0)) + " HTTP/1.1\r\n"));
    BOOST_TEST(contains(proxy.heads[0], "Proxy-Authorization: Basic dTpw\r\n"));  // base64("u:p")
    BOOST_TEST(sni == "localhost");  // TLS runs end to end, through the tunnel
    client.close();
}

BOOST_AUTO_TEST_CASE(http_through_a_proxy_sends_the_absolute_url) {
    TestProxy proxy;
    const auto response = fetch("http://example.test/page?q=1",
                                {.proxy_host = "127.0.0.1", .proxy_port = proxy.port()});
    BOOST_TEST(response.body == "proxied!");
    BOOST_REQUIRE(proxy.heads.size() == 1u);
    BOOST_TEST(proxy.heads[0].starts_with("GET http://example.test/page?q=1 HTTP/1.1\r\n"));
    BOOST_TEST(contains(proxy.heads[0], "Host: example.test\r\n"));
}

BOOST_AUTO_TEST_CASE(a_proxy_that_refuses_connect_is_a_clear_error) {
    TestProxy proxy;  // nothing listens on port 1: the proxy answers 502
    const auto error =
        error_of("https://localhost:1/", {.proxy_host = "127.0.0.1", .proxy_port = proxy.port()});
    BOOST_TEST(contains(error, "refused to CONNECT to localhost:1: 502 Bad Gateway"));
}

BOOST_AUTO_TEST_CASE(a_redirect_from_https_to_http_drops_authorization_and_cookies) {
    httpserver::HTTPServer plain(
        [](HTTPServerRequest& request, HTTPConnection& connection) -> awaitable<void> {
            const std::string body = request.headers.get("Authorization", "-") + "|" +
                                     request.headers.get("Cookie", "-") + "|" +
                                     request.headers.get("X-Other", "-");
            HTTPHeaders headers;
            headers.add("Content-Length", std::to_string(body.size()));
            co_await connection.write_headers({"HTTP/1.1", 200, "OK"}, std::move(headers), body);
            co_await connection.finish();
        });
    plain.listen(0, "127.0.0.1");
    const std::string target = "http://localhost:" + std::to_string(plain.ports().at(0)) + "/";
    const auto secure =
        serve(authority.issue("localhost"), false,
              [&](HTTPServerRequest&, HTTPConnection& connection) -> awaitable<void> {
                  HTTPHeaders headers;
                  headers.add("Location", target);
                  headers.add("Content-Length", "0");
                  co_await connection.write_headers({"HTTP/1.1", 302, "Found"}, std::move(headers));
                  co_await connection.finish();
              });
    HTTPRequest request{.auth_username = "user", .auth_password = "secret", .ca_certs = ca_file};
    request.headers.add("Cookie", "session=secret");
    request.headers.add("X-Other", "kept");
    const auto response = fetch(url("localhost", *secure, "/"), request);
    BOOST_TEST(response.effective_url == target);
    BOOST_TEST(response.body == "-|-|kept");
}

BOOST_AUTO_TEST_SUITE_END()
