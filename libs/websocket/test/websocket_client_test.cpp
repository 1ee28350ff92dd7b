// websocket_connect() and WebSocketClientConnection: ws:// and wss:// (the certificate checked
// as the HTTP client checks it), the message callback, pings, and the errors a caller sees.
#include <typhoon/websocket/websocket_client.hpp>

#include <typhoon/http/http_client_error.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/web.hpp>
#include <typhoon/websocket/websocket_handler.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>
#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace std::chrono_literals;
using boost::asio::awaitable;

namespace {

class Echo final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    awaitable<void> on_message(websocket::Message message) override {
        co_await write_message(message.data, {.binary = message.binary});
    }
    void on_ping(std::string_view data) override { pinged_with_ = data; }
    awaitable<void> open(const std::vector<std::string>&) override {
        co_await write_message("welcome");
    }

private:
    std::string pinged_with_;
};

web::Application echo_app() {
    return web::Application({web::url<Echo>("/echo")});
}

struct ClientTest : testing::AsyncHTTPTestCase {
    web::Application get_app() override { return echo_app(); }
    std::string ws_url(const std::string& path) const {
        return "ws://127.0.0.1:" + std::to_string(get_http_port()) + path;
    }
};

struct SecureClientTest : testing::AsyncHTTPSTestCase {
    web::Application get_app() override { return echo_app(); }
    httpclient::HTTPRequest wss_request(const std::string& path) const {
        httpclient::HTTPRequest request{.url = "wss" + get_url(path).substr(5)};
        prepare_request(request);  // trusts the test's certificate, as fetch() does
        return request;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(websocket_client_test, ClientTest)

TYPHOON_GEN_TEST(reads_what_the_server_sends_then_nullopt_after_close) {
    auto ws = co_await websocket::websocket_connect(ws_url("/echo"));
    BOOST_TEST((co_await ws->read_message())->data == "welcome");
    co_await ws->write_message(boost::json::value{{"n", 1}});
    BOOST_TEST((co_await ws->read_message())->data == R"({"n": 1})");
    ws->close(1001, "going away");
    BOOST_TEST(!(co_await ws->read_message()));
    BOOST_TEST(ws->close_code().value_or(0) == 1001);  // the server echoes the code
    BOOST_CHECK_THROW(co_await ws->write_message("late"), websocket::WebSocketClosedError);
}

TYPHOON_GEN_TEST(the_message_callback_receives_each_message_then_nullopt) {
    std::vector<std::string> received;
    locks::Event ended, two;
    auto ws = co_await websocket::websocket_connect(
        ws_url("/echo"), {.on_message_callback = [&](std::optional<websocket::Message> message) {
            if (!message) {
                ended.set();
                return;
            }
            received.push_back(message->data);
            if (message->data == "two") two.set();
        }});
    co_await ws->write_message("one");
    co_await ws->write_message("two");
    // Beast drops what arrives after our close frame (Tornado would still deliver it).
    co_await two.wait();
    ws->close();
    co_await ended.wait();
    BOOST_TEST(received == (std::vector<std::string>{"welcome", "one", "two"}),
               boost::test_tools::per_element());
}

TYPHOON_GEN_TEST(a_ping_is_answered_and_long_payloads_are_refused) {
    auto ws = co_await websocket::websocket_connect(ws_url("/echo"));
    co_await ws->ping("hi");
    BOOST_CHECK_THROW(co_await ws->ping(std::string(126, 'p')), std::invalid_argument);
    BOOST_TEST((co_await ws->read_message())->data == "welcome");
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
}

TYPHOON_GEN_TEST(a_path_without_a_websocket_is_an_http_error_with_its_status) {
    try {
        co_await websocket::websocket_connect(ws_url("/nothing"));
        BOOST_FAIL("connected to a 404");
    } catch (const httpclient::HTTPClientError& e) {
        BOOST_TEST(e.code() == 404);
    }
}

TYPHOON_GEN_TEST(a_port_that_is_not_a_port_is_a_599_naming_it) {
    for (const std::string port : {"99999", "80x", "-1"}) {
        try {
            co_await websocket::websocket_connect("ws://127.0.0.1:" + port + "/");
            BOOST_FAIL("connected to port " + port);
        } catch (const httpclient::HTTPClientError& e) {
            BOOST_TEST(e.code() == 599);
            BOOST_TEST(e.message() == "Invalid WebSocket URL: port '" + port + "'");
        }
    }
}

TYPHOON_GEN_TEST(an_unreachable_server_is_a_599) {
    try {
        co_await websocket::websocket_connect("ws://127.0.0.1:1/");
        BOOST_FAIL("connected to port 1");
    } catch (const httpclient::HTTPClientError& e) {
        BOOST_TEST(e.code() == 599);
    }
}

// A server that takes the TCP connection and never answers: connect_timeout covers the TLS
// handshake and the WebSocket handshake too, not only the connect.
TYPHOON_GEN_TEST(a_silent_server_is_a_timeout_for_ws_and_wss) {
    boost::asio::ip::tcp::acceptor silent(co_await boost::asio::this_coro::executor,
                                          {boost::asio::ip::make_address("127.0.0.1"), 0});
    const auto port = std::to_string(silent.local_endpoint().port());
    for (const std::string scheme : {"ws", "wss"}) {
        const auto start = std::chrono::steady_clock::now();
        try {
            co_await websocket::websocket_connect(httpclient::HTTPRequest{
                .url = scheme + "://127.0.0.1:" + port + "/", .connect_timeout = 200ms});
            BOOST_FAIL("connected to a server that never answers");
        } catch (const httpclient::HTTPClientError& e) {
            BOOST_TEST(e.code() == 599);
            BOOST_TEST(e.message() == "Timeout while connecting", scheme);
        }
        const bool prompt = std::chrono::steady_clock::now() - start < 5s;
        BOOST_TEST(prompt, scheme);
    }
}

TYPHOON_GEN_TEST(a_server_that_closes_without_answering_is_a_599) {
    const auto executor = co_await boost::asio::this_coro::executor;
    boost::asio::ip::tcp::acceptor rude(executor, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const auto port = std::to_string(rude.local_endpoint().port());
    boost::asio::co_spawn(
        executor,
        [&rude]() -> awaitable<void> {
            auto peer = co_await rude.async_accept(boost::asio::use_awaitable);
            peer.close();  // after the upgrade request, say nothing
        },
        boost::asio::detached);
    try {
        co_await websocket::websocket_connect("ws://127.0.0.1:" + port + "/");
        BOOST_FAIL("connected to a server that closed");
    } catch (const httpclient::HTTPClientError& e) {
        BOOST_TEST(e.code() == 599);
    }
}

/// A server on `acceptor` that answers one handshake (agreeing to permessage-deflate when
/// `deflate`), sends `frames` as they are and no more, and reads the close code of the client's
/// answer into `close_code` (0 when the client only hung up).
awaitable<void> serve_frames(boost::asio::ip::tcp::acceptor& acceptor, std::string frames,
                             bool deflate, int& close_code) {
    auto peer = co_await acceptor.async_accept(boost::asio::use_awaitable);
    std::string request;
    co_await boost::asio::async_read_until(peer, boost::asio::dynamic_buffer(request), "\r\n\r\n",
                                           boost::asio::use_awaitable);
    const auto key_at = request.find("Sec-WebSocket-Key: ") + 19;
    const std::string key = request.substr(key_at, request.find("\r\n", key_at) - key_at);
    boost::beast::websocket::detail::sec_ws_accept_type accept;
    boost::beast::websocket::detail::make_sec_ws_accept(accept, key);
    const std::string answer =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
        "Upgrade\r\nSec-WebSocket-Accept: " +
        std::string(accept.data(), accept.size()) + "\r\n" +
        (deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "") + "\r\n" + frames;
    co_await boost::asio::async_write(peer, boost::asio::buffer(answer),
                                      boost::asio::use_awaitable);
    boost::system::error_code ec;
    peer.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);  // nothing more comes
    // The client's close frame: masked, a 2-byte code first.
    std::string frame(8, '\0');
    co_await boost::asio::async_read(peer, boost::asio::buffer(frame),
                                     boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (!ec && static_cast<unsigned char>(frame[0]) == 0x88)
        close_code = ((frame[6] ^ frame[2]) & 0xff) << 8 | ((frame[7] ^ frame[3]) & 0xff);
    peer.close();
}

/// A hand-written WebSocket server for one connection (serve_frames), on a free port.
struct RawServer {
    RawServer(const boost::asio::any_io_executor& executor, std::string frames, bool deflate)
        : acceptor(executor, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        boost::asio::co_spawn(executor,
                              serve_frames(acceptor, std::move(frames), deflate, close_code),
                              boost::asio::detached);
    }
    std::string url() const {
        return "ws://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/";
    }
    boost::asio::ip::tcp::acceptor acceptor;
    int close_code = 0;
};

TYPHOON_GEN_TEST(a_text_message_cut_inside_a_character_fails_the_connection_with_1007) {
    // "caf" and the lead byte of "é" in a first fragment, an empty last one (unmasked, as a
    // server's are), then a message the client must not hand on.
    RawServer server(co_await boost::asio::this_coro::executor,
                     std::string("\x01\x04"
                                 "caf\xc3"
                                 "\x80\x00"
                                 "\x81\x05"
                                 "after",
                                 15),
                     false);
    auto ws = co_await websocket::websocket_connect(server.url());
    BOOST_TEST(!(co_await ws->read_message()));
    BOOST_TEST(server.close_code == 1007);
}

TYPHOON_GEN_TEST(
    a_compressed_frame_announcing_2_to_the_56_bytes_ends_the_connection_not_the_process) {
    // A compressed binary frame whose header announces 2^56 bytes; Beast would have made room
    // for all of them at once (std::bad_alloc out of the loop). The payload is what fuzzing found.
    RawServer server(co_await boost::asio::this_coro::executor,
                     std::string("\xc2\x7f\x00\xd7\x62\x5d\x88\x8d\x8a\x6c"
                                 "\x6a\x6e\xa7\x29\x00\x88\x07\x03\xe8"
                                 "bye",
                                 22),
                     true);
    websocket::WebSocketConnectOptions options;
    options.max_message_size = 4096;
    options.compression_options = websocket::CompressionOptions{};
    auto ws = co_await websocket::websocket_connect(server.url(), options);
    BOOST_TEST(!(co_await ws->read_message()));
}

TYPHOON_GEN_TEST(an_unsupported_scheme_is_refused) {
    BOOST_CHECK_THROW(co_await websocket::websocket_connect("ftp://127.0.0.1/"),
                      httpclient::HTTPClientError);
}

BOOST_FIXTURE_TEST_SUITE(tls, SecureClientTest)

TYPHOON_GEN_TEST(wss_checks_the_certificate_and_carries_messages) {
    auto ws = co_await websocket::websocket_connect(wss_request("/echo"));
    BOOST_TEST((co_await ws->read_message())->data == "welcome");
    co_await ws->write_message("over TLS");
    BOOST_TEST((co_await ws->read_message())->data == "over TLS");
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
}

TYPHOON_GEN_TEST(wss_refuses_a_certificate_it_does_not_trust) {
    try {
        co_await websocket::websocket_connect("wss" + get_url("/echo").substr(5));
        BOOST_FAIL("trusted a self-signed certificate");
    } catch (const httpclient::HTTPClientError& e) {
        BOOST_TEST(e.code() == 599);
    }
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
