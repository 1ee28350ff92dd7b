// RequestHandler::on_connection_close(): heard at once when the client goes away while the
// handler waits (a long poll), through a real connection; not heard when the request ends well.
#include <typhoon/web/request_handler.hpp>

#include <typhoon/ioloop/condition.hpp>
#include <typhoon/ioloop/event.hpp>
#include <typhoon/net/tcp_client.hpp>
#include <typhoon/web.hpp>

#include <typhoon/testing.hpp>

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using boost::asio::awaitable;

namespace {

struct Poll {
    locks::Condition new_messages;
    locks::Event waiting, gone;
    int closes_heard = 0;
    int woken_by_message = 0;
};

/// Tornado's chat long poll: waits for a message, unless the client leaves first.
class LongPoll final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    void initialize(Poll& poll) { poll_ = &poll; }
    awaitable<void> get() override {
        poll_->waiting.set();
        co_await poll_->new_messages.wait();
        if (!client_gone_) ++poll_->woken_by_message;
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

// Raw connections: the point is what the server hears when the socket closes under a request.
BOOST_AUTO_TEST_CASE(a_client_leaving_a_long_poll_is_heard_at_once) {
    run_until([&]() -> awaitable<void> {
        auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", get_http_port());
        co_await stream->write("GET /poll HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        co_await poll.waiting.wait();
        stream->close();
        co_await poll.gone.wait();  // without the watch, nothing would wake the handler
    });
    BOOST_TEST(poll.closes_heard == 1);
    BOOST_TEST(poll.woken_by_message == 0);
}

BOOST_AUTO_TEST_CASE(a_long_poll_answered_normally_hears_no_close_and_keeps_the_connection) {
    run_until([&]() -> awaitable<void> {
        auto stream = co_await tcpclient::TCPClient().connect("127.0.0.1", get_http_port());
        for (int round = 0; round < 2; ++round) {  // the second on the same keep-alive connection
            poll.waiting.clear();
            co_await stream->write("GET /poll HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            co_await poll.waiting.wait();
            poll.new_messages.notify_all();
            const std::string head = co_await stream->read_until("\r\n\r\n");
            BOOST_TEST(head.starts_with("HTTP/1.1 200"));
            BOOST_TEST(co_await stream->read_bytes(11) == "new message");
        }
    });
    BOOST_TEST(poll.woken_by_message == 2);
    BOOST_TEST(poll.closes_heard == 0);
}

BOOST_AUTO_TEST_SUITE_END()
