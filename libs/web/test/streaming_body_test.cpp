// Handlers with stream_request_body: the body arrives in pieces, never buffered whole.
#include <typhoon/web.hpp>

#include <typhoon/core/log_capture.hpp>

#include "web_test_case.hpp"

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace web_test;

namespace {

class Upload final : public web::RequestHandler {
public:
    static constexpr bool stream_request_body = true;
    using RequestHandler::RequestHandler;

    awaitable<void> prepare() override {
        if (request().headers.contains("X-Refuse")) throw web::HTTPError(403, "refused upload");
        if (const auto limit = request().headers.get("X-Limit"))
            set_max_body_size(std::stoul(*limit));
        co_return;
    }
    awaitable<void> data_received(std::string_view chunk) override {
        ++pieces_;
        bytes_ += chunk.size();
        co_return;
    }
    awaitable<void> put() override {
        write(std::to_string(bytes_) + " bytes in " + (pieces_ > 1 ? "several" : "one") +
              " pieces; buffered " + std::to_string(request().body.size()));
        co_return;
    }

private:
    std::size_t pieces_ = 0;
    std::size_t bytes_ = 0;
};

struct StreamingFixture : testing::AsyncHTTPTestCase {
    web::Application get_app() override { return web::Application({web::url<Upload>("/upload")}); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(streaming_body_test, StreamingFixture)

BOOST_AUTO_TEST_CASE(body_arrives_in_pieces_and_is_not_buffered) {
    const auto response = fetch("/upload", {.method = "PUT", .body = std::string(1 << 20, 'u')});
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body == "1048576 bytes in several pieces; buffered 0");
}

BOOST_AUTO_TEST_CASE(prepare_may_refuse_before_the_body_is_read) {
    testing::ExpectLog expected{log::gen_log,
                                R"(403 PUT /upload \(127\.0\.0\.1\): refused upload)"};
    const auto response = fetch("/upload", {.method = "PUT",
                                            .headers = headers({{"X-Refuse", "1"}}),
                                            .body = std::string(100000, 'u')});
    BOOST_TEST(response.code == 403);
}

BOOST_AUTO_TEST_CASE(max_body_size_set_in_prepare_gives_413) {
    log::LogCapture quiet;
    const auto response = fetch("/upload", {.method = "PUT",
                                            .headers = headers({{"X-Limit", "1000"}}),
                                            .body = std::string(5000, 'u')});
    BOOST_TEST(response.code == 413);
    BOOST_TEST(fetch("/upload", {.method = "PUT",
                                 .headers = headers({{"X-Limit", "1000"}}),
                                 .body = std::string(1000, 'u')})
                   .code == 200);
}

BOOST_AUTO_TEST_CASE(streaming_handler_factory_is_marked) {
    BOOST_TEST(web::handler<Upload>().streams_body());
}

BOOST_AUTO_TEST_SUITE_END()
