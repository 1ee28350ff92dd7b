#ifndef TYPHOON_TESTING_ASYNC_HTTP_TEST_CASE_HPP
#define TYPHOON_TESTING_ASYNC_HTTP_TEST_CASE_HPP

#include <typhoon/testing/async_test_case.hpp>

#include <typhoon/http/client_request.hpp>
#include <typhoon/http/client_response.hpp>
#include <typhoon/http/http_client.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/web/application.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace typhoon::testing {

/** Serves the application of get_app() on a free port of 127.0.0.1 for each test
    (tornado.testing.AsyncHTTPTestCase), and fetches from it.

        struct HelloTest : typhoon::testing::AsyncHTTPTestCase {
            typhoon::web::Application get_app() override { return hello::make_app(); }
        };
        BOOST_FIXTURE_TEST_SUITE(hello, HelloTest)
        BOOST_AUTO_TEST_CASE(says_hello) { BOOST_TEST(fetch("/").body == "Hello, world"); }
        TYPHOON_GEN_TEST(says_hello_to_coroutines) {
            auto response = co_await http_client().fetch(get_url("/"));
            BOOST_TEST(response.code == 200);
        }
        BOOST_AUTO_TEST_SUITE_END()

    The server starts in setup(), after construction, so the overrides are the ones that run. */
class AsyncHTTPTestCase : public AsyncTestCase {
public:
    AsyncHTTPTestCase();
    ~AsyncHTTPTestCase() override;

    /// Builds get_app(), starts its HTTPServer on a free port of 127.0.0.1 and makes the client.
    void setup();
    /// Stops the server, closes the client, then checks for leaked work as AsyncTestCase does.
    void teardown();

    /// The application under test.
    virtual web::Application get_app() = 0;
    /// Options of the test's HTTPServer (Tornado's get_httpserver_options); by default those of
    /// get_http_server_options().
    virtual httpserver::HTTPServerOptions get_httpserver_options();
    /// The override point with this library's spelling of the name; default options.
    virtual httpserver::HTTPServerOptions get_http_server_options() { return {}; }
    /// The client fetch() and http_client() use.
    virtual httpclient::AsyncHTTPClientOptions get_http_client_options() { return {}; }

    /// The port the server listens on, chosen in setup().
    std::uint16_t get_http_port() const noexcept { return port_; }
    /// "http", or "https" for AsyncHTTPSTestCase: the scheme get_url() uses.
    virtual std::string get_protocol() const { return "http"; }
    /// "http://127.0.0.1:PORT" + path.
    virtual std::string get_url(const std::string& path) const;

    /** Fetches `path` (or an absolute URL) and runs the loop until the response arrives. As in
        Tornado's tests, a non-2xx response is returned, not thrown (unless `raise_error`);
        failures without a response (599) are thrown. */
    httpclient::HTTPResponse fetch(const std::string& path, httpclient::HTTPRequest request = {},
                                   bool raise_error = false);
    /// The test's client, for coroutine tests: `co_await http_client().fetch(get_url("/"))`.
    httpclient::AsyncHTTPClient& http_client() noexcept { return *client_; }
    /// The application get_app() returned, as the server serves it (Tornado's `self._app`).
    web::Application& app() noexcept { return *app_; }
    /// The test's server (Tornado's `self.http_server`).
    httpserver::HTTPServer& http_server() noexcept { return *server_; }

protected:
    /// The request defaults fetch() adds (the HTTPS case trusts its certificate).
    virtual void prepare_request(httpclient::HTTPRequest&) const {}

private:
    std::optional<web::Application> app_;
    std::unique_ptr<httpserver::HTTPServer> server_;
    std::unique_ptr<httpclient::AsyncHTTPClient> client_;
    std::uint16_t port_ = 0;
    bool torn_down_ = false;
};

/** The same over HTTPS (tornado.testing.AsyncHTTPSTestCase), with a certificate for "localhost"
    made at run time; the test's client trusts exactly that certificate and checks the host name,
    so TLS is tested as a browser would use it. get_url() gives https://localhost:PORT/... */
class AsyncHTTPSTestCase : public AsyncHTTPTestCase {
public:
    AsyncHTTPSTestCase();
    ~AsyncHTTPSTestCase() override;

    httpserver::HTTPServerOptions get_httpserver_options() override;
    httpclient::AsyncHTTPClientOptions get_http_client_options() override;
    std::string get_protocol() const override { return "https"; }
    std::string get_url(const std::string& path) const override;

protected:
    void prepare_request(httpclient::HTTPRequest& request) const override;

private:
    std::filesystem::path directory_;  // the certificate, as a PEM file the client can read
    std::string certificate_pem_;
    std::string private_key_pem_;
};

}  // namespace typhoon::testing

#endif
