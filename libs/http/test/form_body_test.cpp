#include <typhoon/core/log.hpp>
#include <typhoon/core/log_capture.hpp>
#include <typhoon/http/http_client.hpp>
#include <typhoon/http/http_server.hpp>
#include <typhoon/ioloop/ioloop.hpp>

#include <boost/test/unit_test.hpp>

// Form bodies as the server parses them before its callback (Tornado's HTTPServer does the
// same): a body the parser refuses is answered 400 with one log line, and the callback never
// runs.
using namespace typhoon;
using boost::asio::awaitable;
using httputil::HTTPConnection;
using httputil::HTTPHeaders;
using httputil::HTTPServerRequest;

namespace {

struct FormServer {
    ioloop::IOLoop loop;
    int calls = 0;
    httpserver::HTTPServer server{
        [this](HTTPServerRequest& request, HTTPConnection& connection) -> awaitable<void> {
            ++calls;
            const std::string body = std::to_string(request.body_arguments.size());
            HTTPHeaders headers;
            headers.add("Content-Length", std::to_string(body.size()));
            co_await connection.write_headers({"HTTP/1.1", 200, "OK"}, std::move(headers), body);
            co_await connection.finish();
        }};
    httpclient::AsyncHTTPClient client;

    FormServer() { server.listen(0, "127.0.0.1"); }

    httpclient::HTTPResponse post(std::string body) {
        httpclient::HTTPRequest request{
            .method = "POST", .body = std::move(body), .raise_error = false};
        request.headers.add("Content-Type", "multipart/form-data; boundary=b");
        const std::string url = "http://127.0.0.1:" + std::to_string(server.ports().at(0)) + "/";
        return loop.run_sync([&]() { return client.fetch(url, request); },
                             std::chrono::seconds(20));
    }
};

std::string part(std::string_view headers, std::string_view value = "v") {
    return "--b\r\n" + std::string(headers) + "\r\n\r\n" + std::string(value) + "\r\n";
}

std::string disposition(std::size_t i) {
    return "Content-Disposition: form-data; name=\"a" + std::to_string(i) + "\"";
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(form_body_test, FormServer)

BOOST_AUTO_TEST_CASE(a_hundred_parts_are_read_and_a_hundred_and_one_are_a_400) {
    std::string hundred;
    for (std::size_t i = 0; i < 100; ++i)
        hundred += part(disposition(i));
    auto response = post(hundred + "--b--\r\n");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "100");
    log::LogCapture refusals{{.logger = &log::gen_log}};
    response = post(hundred + part(disposition(100)) + "--b--\r\n");
    BOOST_TEST(response.code == 400);
    BOOST_TEST(calls == 1);
    BOOST_REQUIRE(refusals.records().size() == 1u);
    BOOST_TEST(refusals.contains("multipart/form-data has too many parts"));
}

BOOST_AUTO_TEST_CASE(a_body_of_many_malformed_parts_logs_one_line) {
    log::LogCapture refusals{{.logger = &log::gen_log}};
    for (const std::string_view bad :
         {"Content-Disposition: form-data",               // no name
          "Content-Disposition: attachment; name=\"a\"",  // not form-data
          "Content-Type: text/plain"}) {                  // no disposition
        std::string body;
        for (int i = 0; i < 1000; ++i)
            body += part(bad);
        BOOST_TEST_CONTEXT(bad) {
            const auto before = refusals.records().size();
            BOOST_TEST(post(body + "--b--\r\n").code == 400);
            BOOST_TEST(refusals.records().size() == before + 1);
        }
    }
    BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_CASE(a_bare_cr_in_part_headers_is_a_400) {
    log::LogCapture refusals{{.logger = &log::gen_log}};
    const auto response = post(part(disposition(0) + "\rX-Injected: 1") + "--b--\r\n");
    BOOST_TEST(response.code == 400);
    BOOST_TEST(calls == 0);
    BOOST_TEST(refusals.contains("bare CR in header line"));
    BOOST_TEST(post(part(disposition(0)) + "--b--\r\n").code == 200);  // the server goes on
}

BOOST_AUTO_TEST_SUITE_END()
