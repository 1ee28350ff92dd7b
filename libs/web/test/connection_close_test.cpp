// RequestHandler::on_connection_close(): heard at once when the client goes away while the
// handler waits (a long poll), through a real connection; not heard when the request ends well.
#include <typhoon/web/request_handler.hpp>

#include <typhoon/ioloop/condition.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/testing.hpp>
#include <typhoon/web.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

using namespace typhoon;
namespace asio = boost::asio;

namespace {

struct Poll {
    locks::Condition new_messages;
    locks::Event waiting, gone;
    int closes_heard = 0;
    bool woken_by_message = false;
};

/// Tornado's chat long poll: waits for a message, unless the client leaves first.
class LongPoll final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(Poll& poll) { poll_ = &poll; }
    awaitable<void> get() override {
        poll_->waiting.set();
        co_await poll_->new_messages.wait();
        if (!client_gone_) poll_->woken_by_message = true;
        write("new message");
    }
    void on_connection_close() override {
        client_gone_ = true;
        ++poll_->closes_heard;
        poll_->new_messages.notify_all();  // as Tornado's chat cancels its wait
        poll_->gone.set();
    }

private:
    Poll* poll_ = nullptr;
    bool client_gone_ = false;
};

struct ConnectionCloseTest : testing::AsyncHTTPTestCase {
    Poll poll;
    web::Application get_app() override {
        return web::Application({web::url<LongPoll>("/poll", {}, std::ref(poll))});
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(connection_close_test, ConnectionCloseTest)

TYPHOON_GEN_TEST(a_client_leaving_a_long_poll_is_heard_at_once) {
    asio::ip::tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), get_http_port()},
                                  asio::use_awaitable);
    const std::string request = "GET /poll HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    co_await asio::async_write(socket, asio::buffer(request), asio::use_awaitable);
    co_await poll.waiting.wait();
    socket.close();
    co_await poll.gone.wait();  // without the watch, this waits until the test times out
    BOOST_TEST(poll.closes_heard == 1);
    BOOST_TEST(!poll.woken_by_message);
}

TYPHOON_GEN_TEST(a_long_poll_answered_normally_hears_no_close_and_keeps_the_connection) {
    for (int round = 0; round < 2; ++round) {  // the second on the same keep-alive connection
        std::optional<httpclient::HTTPResponse> response;
        locks::Event answered;
        poll.waiting.clear();
        poll.woken_by_message = false;
        asio::co_spawn(
            co_await asio::this_coro::executor,
            [&]() -> awaitable<void> {
                response = co_await http_client().fetch(get_url("/poll"));
                answered.set();
            },
            asio::detached);
        co_await poll.waiting.wait();
        poll.new_messages.notify_all();
        co_await answered.wait();
        BOOST_TEST(response->body == "new message");
        BOOST_TEST(poll.woken_by_message);
    }
    BOOST_TEST(poll.closes_heard == 0);
}

BOOST_AUTO_TEST_SUITE_END()
