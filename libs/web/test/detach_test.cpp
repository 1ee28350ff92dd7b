// RequestHandler::detach() and release_after_detach(): a handler takes its connection over, then
// lives on after its method has returned and the HTTP server has let go of the request, still
// reading its request (as WebSocketHandler does for a connection's whole life). The sanitizer
// build catches a request read after the server freed it.
#include <typhoon/web/request_handler.hpp>

#include <typhoon/ioloop/event.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/net/tcp_client.hpp>
#include <typhoon/web.hpp>

#include <typhoon/testing.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <memory>
#include <stdexcept>
#include <string>

using namespace typhoon;
using namespace std::chrono_literals;
using boost::asio::awaitable;

namespace {

struct Record {
    locks::Event released, answer_now;
    int finished = 0, destroyed = 0, second_release_refused = 0;
    std::string refusal;
};

/// Takes its connection over and answers on the raw socket when the test says so, long after
/// get() has returned.
class LateAnswer final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(Record& record) { record_ = &record; }
    ~LateAnswer() override { ++record_->destroyed; }

    awaitable<void> get() override {
        auto stream = detach();
        auto self = release_after_detach();
        try {
            release_after_detach();
        } catch (const std::logic_error&) {
            ++record_->second_release_refused;
        }
        boost::asio::co_spawn(co_await boost::asio::this_coro::executor,
                              answer(std::move(self), stream.take_tcp()), boost::asio::detached);
        record_->released.set();
    }
    void on_finish() override { ++record_->finished; }

private:
    static awaitable<void> answer(std::unique_ptr<RequestHandler> handler,
                                  boost::asio::ip::tcp::socket socket) {
        auto& self = static_cast<LateAnswer&>(*handler);
        co_await self.record_->answer_now.wait();
        const std::string body = self.request().uri + " " +
                                 self.request().headers.get("X-Name", "") + " " +
                                 self.get_argument("q") + " " + self.path_args().at(0);
        const std::string response =
            "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\nConnection: close\r\n\r\n" + body;
        co_await boost::asio::async_write(socket, boost::asio::buffer(response),
                                          boost::asio::use_awaitable);
    }

    Record* record_ = nullptr;
};

/// Tries to keep itself without detaching first.
class KeepWithoutDetach final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        try {
            release_after_detach();
            write("kept");
        } catch (const std::logic_error& e) {
            write(std::string("refused: ") + e.what());
        }
        co_return;
    }
};

/// A connection that can be detached, for a handler made without an Application's dispatcher.
class DetachableConnection final : public httputil::HTTPConnection {
public:
    awaitable<void> write_headers(httputil::ResponseStartLine, httputil::HTTPHeaders,
                                  std::string_view) override {
        co_return;
    }
    awaitable<void> write(std::string_view) override { co_return; }
    awaitable<void> flush() override { co_return; }
    awaitable<void> finish() override { co_return; }
    iostream::Stream detach() override { return {}; }
};

class Standalone final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
};

struct DetachTest : testing::AsyncHTTPTestCase {
    Record record;
    web::Application get_app() override {
        return web::Application({web::url<LateAnswer>("/late/(\\w+)", {}, std::ref(record)),
                                 web::url<KeepWithoutDetach>("/keep")});
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(detach_test, DetachTest)

BOOST_AUTO_TEST_CASE(a_released_handler_outlives_its_request_and_still_reads_it) {
    const std::string answer = run_until([&]() -> awaitable<std::string> {
        auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", get_http_port());
        co_await stream->write(
            "GET /late/seven?q=quiet HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "X-Name: ada\r\n\r\n");
        co_await record.released.wait();
        // By now the request's processing has ended: the server's frames, and the request they
        // lent the handler, are gone.
        co_await gen::sleep(20ms);
        BOOST_TEST(record.finished == 1);
        BOOST_TEST(record.destroyed == 0);
        BOOST_TEST(http_server().connection_count() == 0u);
        record.answer_now.set();
        co_return co_await stream->read_until_close();
    });
    BOOST_TEST(answer.ends_with("\r\n\r\n/late/seven?q=quiet ada quiet seven"));
    BOOST_TEST(record.second_release_refused == 1);
    BOOST_TEST(record.destroyed == 1);  // with the coroutine that owned it
}

BOOST_AUTO_TEST_CASE(a_handler_cannot_be_released_before_it_detaches) {
    const auto response = fetch("/keep");
    BOOST_TEST(response.code == 200);
    BOOST_TEST(response.body.starts_with("refused: "));
    BOOST_TEST(fetch("/keep").code == 200);  // the server goes on serving
}

BOOST_AUTO_TEST_SUITE_END()

// Nobody would free a handler that no Application owns: it cannot be released.
BOOST_AUTO_TEST_CASE(a_handler_made_outside_an_application_cannot_be_released) {
    web::Application application({});
    httputil::HTTPServerRequest request;
    DetachableConnection connection;
    Standalone handler(application, request, connection);
    handler.detach();
    BOOST_CHECK_THROW(handler.release_after_detach(), std::logic_error);
}
