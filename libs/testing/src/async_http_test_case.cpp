#include <typhoon/testing/async_http_test_case.hpp>

#include <typhoon/net/self_signed_certificate.hpp>
#include <typhoon/net/ssl_options.hpp>

#include <boost/asio/ssl/context.hpp>

#include <unistd.h>

#include <atomic>
#include <fstream>

namespace typhoon::testing {

AsyncHTTPTestCase::AsyncHTTPTestCase() = default;

AsyncHTTPTestCase::~AsyncHTTPTestCase() {
    // A test that threw before teardown() still closes its sockets before the loop goes.
    client_.reset();
    server_.reset();
    app_.reset();
}

httpserver::HTTPServerOptions AsyncHTTPTestCase::get_httpserver_options() {
    return get_http_server_options();
}

void AsyncHTTPTestCase::setup() {
    AsyncTestCase::setup();
    app_.emplace(get_app());
    server_ = std::make_unique<httpserver::HTTPServer>(*app_, get_httpserver_options());
    server_->listen(0, "127.0.0.1");  // Tornado's bind_unused_port
    port_ = server_->ports().at(0);
    client_ = std::make_unique<httpclient::AsyncHTTPClient>(get_http_client_options());
}

void AsyncHTTPTestCase::teardown() {
    if (torn_down_) return;
    torn_down_ = true;
    server_->stop();
    client_.reset();  // closes its idle connections, so the server's side closes too
    server_.reset();
    AsyncTestCase::teardown();
}

std::string AsyncHTTPTestCase::get_url(const std::string& path) const {
    return get_protocol() + "://127.0.0.1:" + std::to_string(port_) + path;
}

httpclient::HTTPResponse AsyncHTTPTestCase::fetch(const std::string& path,
                                                  httpclient::HTTPRequest request,
                                                  bool raise_error) {
    const bool absolute = path.starts_with("http://") || path.starts_with("https://");
    request.url = absolute ? path : get_url(path);
    request.raise_error = raise_error;
    prepare_request(request);
    return run_until([this, &request]() -> awaitable<httpclient::HTTPResponse> {
        co_return co_await client_->fetch(std::move(request));
    });
}

AsyncHTTPSTestCase::AsyncHTTPSTestCase() {
    static std::atomic<int> serial{0};
    directory_ =
        std::filesystem::temp_directory_path() /
        ("typhoon_https_test_" + std::to_string(::getpid()) + "_" + std::to_string(serial++));
    std::filesystem::create_directories(directory_);
    auto certificate = netutil::make_self_signed_certificate("localhost");
    certificate_pem_ = std::move(certificate.certificate_pem);
    private_key_pem_ = std::move(certificate.private_key_pem);
    std::ofstream(directory_ / "certificate.pem") << certificate_pem_;
}

AsyncHTTPSTestCase::~AsyncHTTPSTestCase() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
}

httpserver::HTTPServerOptions AsyncHTTPSTestCase::get_httpserver_options() {
    auto options = AsyncHTTPTestCase::get_httpserver_options();
    options.ssl_context = netutil::ssl_options_to_context(
        {.certificate_pem = certificate_pem_, .private_key_pem = private_key_pem_}, true);
    return options;
}

httpclient::AsyncHTTPClientOptions AsyncHTTPSTestCase::get_http_client_options() {
    auto options = AsyncHTTPTestCase::get_http_client_options();
    options.hostname_mapping.emplace("localhost", "127.0.0.1");  // the certificate's name
    return options;
}

std::string AsyncHTTPSTestCase::get_url(const std::string& path) const {
    return "https://localhost:" + std::to_string(get_http_port()) + path;
}

void AsyncHTTPSTestCase::prepare_request(httpclient::HTTPRequest& request) const {
    if (request.ca_certs.empty()) request.ca_certs = (directory_ / "certificate.pem").string();
}

}  // namespace typhoon::testing
