#include <typhoon/net/iostream.hpp>

#include "loop_fixture.hpp"

#include <typhoon/ioloop/gen.hpp>

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using iostream::IOStream;
using namespace std::chrono_literals;

BOOST_FIXTURE_TEST_SUITE(iostream_test, net_test::LoopFixture)

BOOST_AUTO_TEST_CASE(read_until_returns_through_the_delimiter_and_keeps_the_rest) {
    auto [a, b] = stream_pair();
    run([&]() -> boost::asio::awaitable<void> {
        co_await a->write("hel");
        co_await a->write("lo\r\nwor");
        co_await a->write("ld\r\n");
        BOOST_TEST(co_await b->read_until("\r\n") == "hello\r\n");
        BOOST_TEST(co_await b->read_until("\r\n") == "world\r\n");
    });
}

BOOST_AUTO_TEST_CASE(read_until_gives_up_past_max_bytes_and_closes) {
    auto [a, b] = stream_pair();
    run([&]() -> boost::asio::awaitable<void> {
        co_await a->write("0123456789abcdef\n");
        BOOST_CHECK_THROW(co_await b->read_until("\n", 8), iostream::UnsatisfiableReadError);
        BOOST_TEST(b->closed());
    });
}

BOOST_AUTO_TEST_CASE(read_bytes_waits_for_all_unless_partial) {
    auto [a, b] = stream_pair();
    run([&]() -> boost::asio::awaitable<void> {
        co_await a->write("abc");
        BOOST_TEST(co_await b->read_bytes(10, {.partial = true}) == "abc");
        co_await a->write("defgh");
        BOOST_TEST(co_await b->read_bytes(2) == "de");
        char buffer[3];
        BOOST_TEST(co_await b->read_into(buffer) == 3u);
        BOOST_TEST(std::string(buffer, 3) == "fgh");
    });
}

BOOST_AUTO_TEST_CASE(read_until_close_returns_everything_the_peer_sent) {
    auto [a, b] = stream_pair();
    run([&]() -> boost::asio::awaitable<void> {
        co_await a->write(std::string(200000, 'x'));
        a->close();
        const std::string all = co_await b->read_until_close();
        BOOST_TEST(all.size() == 200000u);
        BOOST_TEST(b->closed());
    });
}

BOOST_AUTO_TEST_CASE(reads_after_the_peer_closed_raise_stream_closed) {
    auto [a, b] = stream_pair();
    bool callback_ran = false;
    b->set_close_callback([&] { callback_ran = true; });
    run([&]() -> boost::asio::awaitable<void> {
        co_await a->write("partial line");
        a->close();
        BOOST_CHECK_THROW(co_await b->read_until("\n"), iostream::StreamClosedError);
        co_await gen::moment();  // the close callback runs on the loop, after the read failed
    });
    BOOST_TEST(callback_ran);
    run([&]() -> boost::asio::awaitable<void> {
        BOOST_CHECK_THROW(co_await b->write("x"), iostream::StreamClosedError);
    });
}

BOOST_AUTO_TEST_CASE(one_read_at_a_time) {
    auto [a, b] = stream_pair();
    run([&]() -> boost::asio::awaitable<void> {
        auto* reader = b.get();
        loop.spawn_callback([reader]() -> boost::asio::awaitable<void> {
            try {
                co_await reader->read_bytes(1);
            } catch (const iostream::StreamClosedError&) {
            }
        });
        co_await gen::moment();
        BOOST_TEST(b->reading());
        BOOST_CHECK_THROW(co_await b->read_bytes(1), Error);
        b->close();
        co_await gen::moment();
    });
}

BOOST_AUTO_TEST_CASE(the_buffer_is_bounded_by_max_buffer_size) {
    auto [a, b] = stream_pair({.max_buffer_size = 1024, .read_chunk_size = 256});
    run([&]() -> boost::asio::awaitable<void> {
        co_await a->write(std::string(4096, 'y'));  // no newline: read_until would buffer forever
        BOOST_CHECK_THROW(co_await b->read_until("\n"), iostream::StreamBufferFullError);
        BOOST_TEST(b->closed());
    });
}

BOOST_AUTO_TEST_CASE(overlapping_writes_go_out_in_call_order) {
    auto [a, b] = stream_pair();
    run([&]() -> boost::asio::awaitable<void> {
        std::vector<boost::asio::awaitable<void>> writes;
        for (int i = 0; i < 50; ++i)
            writes.push_back(a->write(std::to_string(i) + ":" + std::string(5000, 'z') + "\n"));
        auto* reader = b.get();
        auto read_all = [reader]() -> boost::asio::awaitable<void> {
            for (int i = 0; i < 50; ++i) {
                const std::string line = co_await reader->read_until("\n");
                BOOST_TEST(line.starts_with(std::to_string(i) + ":"));
            }
        };
        writes.push_back(read_all());
        co_await gen::multi(std::move(writes));
    });
}

BOOST_AUTO_TEST_CASE(a_peer_that_does_not_read_makes_write_wait) {
    auto [a, b] = stream_pair();
    run([&]() -> boost::asio::awaitable<void> {
        // The kernel buffers a few hundred KiB; 64 MiB cannot all be handed over without a reader.
        BOOST_CHECK_THROW(co_await gen::with_timeout(300ms, a->write(std::string(64 << 20, 'w'))),
                          gen::TimeoutError);
        BOOST_TEST(!b->closed());
    });
}

BOOST_AUTO_TEST_SUITE_END()
