#include "echo.hpp"

#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

namespace {
struct EchoTest : typhoon::testing::AsyncHTTPTestCase {
    typhoon::web::Application get_app() override { return websocket_echo::make_app(); }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(echo_test, EchoTest)

TYPHOON_GEN_TEST(echoes_text_and_binary) {
    auto ws = co_await typhoon::websocket::websocket_connect(
        "ws://127.0.0.1:" + std::to_string(get_http_port()) + "/websocket");
    co_await ws->write_message("Hello, world");
    BOOST_TEST((co_await ws->read_message())->data == "Hello, world");
    co_await ws->write_message(std::string("\x01\x02", 2), {.binary = true});
    const auto binary = co_await ws->read_message();
    BOOST_TEST(binary->binary);
    BOOST_TEST(binary->data == std::string("\x01\x02", 2));
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
}

TYPHOON_GEN_TEST(the_deflate_route_compresses_for_a_client_that_offers_it) {
    const std::string url = "ws://127.0.0.1:" + std::to_string(get_http_port());
    auto ws = co_await typhoon::websocket::websocket_connect(
        url + "/websocket-deflate",
        {.compression_options = typhoon::websocket::CompressionOptions{}});
    BOOST_TEST(ws->headers()
                   .get("Sec-WebSocket-Extensions")
                   .value_or("")
                   .starts_with("permessage-deflate"));
    const std::string big(100000, 'z');
    co_await ws->write_message(big);
    BOOST_TEST((co_await ws->read_message())->data == big);
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
    // The plain route declines the offer.
    auto plain = co_await typhoon::websocket::websocket_connect(
        url + "/websocket", {.compression_options = typhoon::websocket::CompressionOptions{}});
    BOOST_TEST(!plain->headers().get("Sec-WebSocket-Extensions").has_value());
    plain->close();
    BOOST_TEST(!(co_await plain->read_message()));
}

BOOST_AUTO_TEST_SUITE_END()
