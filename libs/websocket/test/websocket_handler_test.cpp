// WebSocketHandler through a real connection: the handshake's answers, messages both ways, the
// close handshake from either side, origin and subprotocol checks, pings.
#include <typhoon/websocket/websocket_handler.hpp>

#include <typhoon/core/log_capture.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/web.hpp>
#include <typhoon/websocket/websocket_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace typhoon;
using namespace std::chrono_literals;
using boost::asio::awaitable;
using websocket::Message;

namespace {

/// What the handlers saw, for the tests to check.
struct Events {
    std::vector<std::string> log;
    std::optional<int> close_code;
    std::optional<std::string> close_reason;
    locks::Event closed;
};

class EchoHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    void initialize(Events& events) { events_ = &events; }
    awaitable<void> open(const std::vector<std::string>& args) override {
        events_->log.push_back("open " + (args.empty() ? std::string() : args[0]));
        co_return;
    }
    awaitable<void> on_message(Message message) override {
        if (message.data == "close me") {
            close(4001, "asked to");
            co_return;
        }
        if (message.data == "json") {
            co_await write_message(boost::json::value{{"a", 1}});
            co_return;
        }
        if (message.data == "burst") {
            // Not awaited: each is sent all the same, in the order of the calls.
            for (int i = 0; i < 50; ++i)
                (void)write_message("b" + std::to_string(i));
            auto early = write_message("early");
            // Three coroutines waiting for their own writes while this one waits for its own;
            // posted, so that they start (and write) once this one waits.
            auto executor = co_await boost::asio::this_coro::executor;
            for (int k = 0; k < 3; ++k)
                boost::asio::post(executor, [this, executor, k] {
                    // The handler outlives them: the client reads every message before it closes.
                    boost::asio::co_spawn(
                        executor,
                        [](EchoHandler* self, int k) -> awaitable<void> {
                            co_await self->write_message("c" + std::to_string(k));
                        }(this, k),
                        boost::asio::detached);
                });
            co_await write_message("last");
            co_await std::move(early);  // written already: it completes at once
            co_return;
        }
        if (message.data == "who") {  // the request outlives the HTTP server's part in it
            co_await write_message(request().uri + " " + get_argument("name", "-") + " " +
                                   request().remote_ip);
            co_return;
        }
        co_await write_message(message.data, {.binary = message.binary});
    }
    void on_close() override {
        events_->log.push_back("close " + request().path);
        events_->close_code = close_code();
        events_->close_reason = close_reason();
        events_->closed.set();
    }

private:
    Events* events_ = nullptr;
};

class SubprotocolHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    std::optional<std::string> select_subprotocol(
        const std::vector<std::string>& offered) override {
        for (const auto& name : offered)
            if (name == "chat.v2") return name;
        return std::nullopt;
    }
    awaitable<void> on_message(Message) override {
        co_await write_message(selected_subprotocol().value_or("none"));
    }
};

/// Its on_close() fails: the failure is logged with the request, and the server goes on.
class FailingCloseHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    void initialize(Events& events) { events_ = &events; }
    awaitable<void> on_message(Message) override { co_return; }
    void on_close() override {
        events_->closed.set();
        throw std::runtime_error("on_close failed");
    }

private:
    Events* events_ = nullptr;
};

/// Answers any message with the limits it runs under: ping interval and timeout, largest message,
/// outbound bytes and write timeout, times in milliseconds.
class LimitsHandler final : public websocket::WebSocketHandler {
public:
    using WebSocketHandler::WebSocketHandler;
    awaitable<void> on_message(Message) override {
        const auto ms = [](std::chrono::steady_clock::duration d) {
            return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
        };
        co_await write_message(ms(ping_interval()) + " " + ms(ping_timeout()) + " " +
                               std::to_string(max_message_size()) + " " +
                               std::to_string(max_outbound_bytes()) + " " + ms(write_timeout()));
    }
};

struct HandlerTest : testing::AsyncHTTPTestCase {
    Events events;
    web::Application get_app() override {
        return web::Application({
            web::url<EchoHandler>(R"(/echo/?(\w*))", {}, std::ref(events)),
            web::url<SubprotocolHandler>("/sub"),
            web::url<FailingCloseHandler>("/failing_close", {}, std::ref(events)),
        });
    }
    std::string ws_url(const std::string& path) const {
        return "ws://127.0.0.1:" + std::to_string(get_http_port()) + path;
    }
};

/// A LimitsHandler under the application settings a test sets before the server starts.
struct SettingsTest : testing::AsyncHTTPTestCase {
    web::Settings settings;
    web::Application get_app() override {
        return web::Application({web::url<LimitsHandler>("/limits")}, settings);
    }
    awaitable<std::string> limits() {
        auto ws = co_await websocket::websocket_connect(
            "ws://127.0.0.1:" + std::to_string(get_http_port()) + "/limits");
        co_await ws->write_message("?");
        const auto reply = co_await ws->read_message();
        ws->close();
        while (co_await ws->read_message()) {
        }
        co_return reply ? reply->data : "closed";
    }
};

struct TunedTest : SettingsTest {
    TunedTest() {
        settings.extra = {{"websocket_ping_interval", 0.5},
                          {"websocket_ping_timeout", 2},
                          {"websocket_max_message_size", 100},
                          {"websocket_max_outbound_bytes", 0},
                          {"websocket_write_timeout", 0}};
    }
};

struct MistypedTest : SettingsTest {
    MistypedTest() { settings.extra = {{"websocket_ping_interval", "30"}}; }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(websocket_handler_test, HandlerTest)

TYPHOON_GEN_TEST(text_and_binary_messages_come_back_as_sent) {
    auto ws = co_await websocket::websocket_connect(ws_url("/echo/room"));
    co_await ws->write_message("hello");
    auto reply = co_await ws->read_message();
    BOOST_TEST_REQUIRE(reply.has_value());
    BOOST_TEST(reply->data == "hello");
    BOOST_TEST(!reply->binary);
    co_await ws->write_message(std::string("\x00\xff", 2), {.binary = true});
    reply = co_await ws->read_message();
    BOOST_TEST_REQUIRE(reply.has_value());
    BOOST_TEST(reply->data == std::string("\x00\xff", 2));
    BOOST_TEST(reply->binary);
    co_await ws->write_message("json");
    reply = co_await ws->read_message();
    BOOST_TEST(reply->data == R"({"a": 1})");
    ws->close(1000, "bye");
    BOOST_TEST(!(co_await ws->read_message()));
    co_await events.closed.wait();
    BOOST_TEST(events.log == (std::vector<std::string>{"open room", "close /echo/room"}),
               boost::test_tools::per_element());
    BOOST_TEST(events.close_code.value_or(0) == 1000);
    BOOST_TEST(events.close_reason.value_or("") == "bye");
}

TYPHOON_GEN_TEST(writes_awaited_or_not_and_from_several_coroutines_arrive_in_call_order) {
    auto ws = co_await websocket::websocket_connect(ws_url("/echo"));
    co_await ws->write_message("burst");
    std::vector<std::string> expected, got;
    for (int i = 0; i < 50; ++i)
        expected.push_back("b" + std::to_string(i));
    for (const char* last : {"early", "last", "c0", "c1", "c2"})
        expected.emplace_back(last);
    while (got.size() < expected.size()) {
        const auto reply = co_await ws->read_message();
        BOOST_TEST_REQUIRE(reply.has_value());
        got.push_back(reply->data);
    }
    BOOST_TEST(got == expected, boost::test_tools::per_element());
    // The connection is still whole after it.
    co_await ws->write_message("again");
    BOOST_TEST((co_await ws->read_message())->data == "again");
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
    co_await events.closed.wait();
}

TYPHOON_GEN_TEST(the_request_stays_readable_for_the_connections_life) {
    auto ws = co_await websocket::websocket_connect(ws_url("/echo/room?name=ada"));
    for (int round = 0; round < 2; ++round) {
        co_await ws->write_message("who");
        const auto reply = co_await ws->read_message();
        BOOST_TEST_REQUIRE(reply.has_value());
        BOOST_TEST(reply->data == "/echo/room?name=ada ada 127.0.0.1");
    }
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
    co_await events.closed.wait();
    BOOST_TEST(events.log.back() == "close /echo/room");
}

TYPHOON_GEN_TEST(an_exception_in_on_close_is_logged_and_the_server_goes_on) {
    testing::ExpectLog logged{log::app_log, "Uncaught exception GET /failing_close"};
    auto ws = co_await websocket::websocket_connect(ws_url("/failing_close"));
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
    co_await events.closed.wait();
    events.closed.clear();
    auto again = co_await websocket::websocket_connect(ws_url("/echo"));
    co_await again->write_message("still here");
    BOOST_TEST((co_await again->read_message())->data == "still here");
    again->close();
    BOOST_TEST(!(co_await again->read_message()));
    co_await events.closed.wait();
}

TYPHOON_GEN_TEST(server_close_reaches_the_client_with_its_code) {
    auto ws = co_await websocket::websocket_connect(ws_url("/echo"));
    co_await ws->write_message("close me");
    BOOST_TEST(!(co_await ws->read_message()));
    BOOST_TEST(ws->close_code().value_or(0) == 4001);
    BOOST_TEST(ws->close_reason().value_or("") == "asked to");
    co_await events.closed.wait();
    BOOST_CHECK_THROW(co_await ws->write_message("late"), websocket::WebSocketClosedError);
}

BOOST_AUTO_TEST_CASE(a_plain_get_is_a_400_as_in_tornado) {
    const auto response = fetch("/echo");
    BOOST_TEST(response.code == 400);
    BOOST_TEST(response.body == "Can \"Upgrade\" only to \"WebSocket\".");
}

BOOST_AUTO_TEST_CASE(upgrade_without_connection_upgrade_is_a_400) {
    httpclient::HTTPRequest request;
    request.headers.add("Upgrade", "websocket");
    const auto response = fetch("/echo", request);
    BOOST_TEST(response.code == 400);
    BOOST_TEST(response.body == "\"Connection\" must be \"Upgrade\".");
}

// RFC 6455 §4.1: only a GET opens a WebSocket; a HEAD with every upgrade header is refused.
BOOST_AUTO_TEST_CASE(a_head_handshake_is_a_405_allowing_get) {
    httpclient::HTTPRequest request{.method = "HEAD"};
    request.headers.add("Upgrade", "websocket");
    request.headers.add("Connection", "Upgrade");
    request.headers.add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    request.headers.add("Sec-WebSocket-Version", "13");
    const auto response = fetch("/echo", request);
    BOOST_TEST(response.code == 405);
    BOOST_TEST(response.headers.get("Allow", "") == "GET");
    BOOST_TEST(!response.headers.get("Sec-WebSocket-Accept"));
}

TYPHOON_GEN_TEST(another_origin_is_refused_with_403) {
    httpclient::HTTPRequest request{.url = ws_url("/echo")};
    request.headers.add("Origin", "http://evil.example");
    try {
        co_await websocket::websocket_connect(request);
        BOOST_FAIL("connected from another origin");
    } catch (const httpclient::HTTPClientError& e) {
        BOOST_TEST(e.code() == 403);
    }
    httpclient::HTTPRequest same{.url = ws_url("/echo")};
    same.headers.add("Origin", "http://127.0.0.1:" + std::to_string(get_http_port()));
    auto ws = co_await websocket::websocket_connect(same);
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
}

TYPHOON_GEN_TEST(the_server_selects_a_subprotocol_the_client_offered) {
    auto ws = co_await websocket::websocket_connect(ws_url("/sub"),
                                                    {.subprotocols = {"chat.v1", "chat.v2"}});
    BOOST_TEST(ws->selected_subprotocol().value_or("") == "chat.v2");
    co_await ws->write_message("which?");
    BOOST_TEST((co_await ws->read_message())->data == "chat.v2");
    ws->close();
    BOOST_TEST(!(co_await ws->read_message()));
}

BOOST_FIXTURE_TEST_SUITE(settings_unset, SettingsTest)
TYPHOON_GEN_TEST(without_settings_the_limits_are_the_defaults) {
    // No pings, Tornado's 30 s floor for the ping timeout, 10 MiB, 4 MiB, 30 s.
    BOOST_TEST(co_await limits() == "0 30000 10485760 4194304 30000");
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(settings_tuned, TunedTest)
TYPHOON_GEN_TEST(the_settings_give_times_in_seconds_and_sizes_in_bytes) {
    BOOST_TEST(co_await limits() == "500 2000 100 0 0");
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(settings_mistyped, MistypedTest)
TYPHOON_GEN_TEST(a_setting_of_the_wrong_type_fails_the_handshake_with_500) {
    log::LogCapture capture{{.logger = &log::app_log}};
    try {
        co_await limits();
        BOOST_FAIL("connected with a mistyped setting");
    } catch (const httpclient::HTTPClientError& e) {
        BOOST_TEST(e.code() == 500);
    }
    const auto records = capture.records();
    BOOST_TEST(std::any_of(records.begin(), records.end(), [](const log::Record& record) {
        return record.exception.ends_with(
            "The websocket_ping_interval setting must be a number of seconds from 0 to 1e9");
    }));
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()
