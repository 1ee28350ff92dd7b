#include <typhoon/net/iostream_regex.hpp>

#include "loop_fixture.hpp"

#include <typhoon/ioloop/gen.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using namespace typhoon;
using namespace std::chrono_literals;

BOOST_FIXTURE_TEST_SUITE(iostream_regex_test, net_test::LoopFixture)

BOOST_AUTO_TEST_CASE(read_until_regex_stops_after_the_match) {
    auto [a, b] = stream_pair();
    const std::regex blank_line("\r?\n\r?\n");
    run([&]() -> boost::asio::awaitable<void> {
        co_await a->write("head\n\nbody");
        BOOST_TEST(co_await iostream::read_until_regex(*b, blank_line) == "head\n\n");
        BOOST_TEST(co_await b->read_bytes(4) == "body");
    });
}

BOOST_AUTO_TEST_CASE(read_until_regex_waits_for_a_match_split_across_reads) {
    auto [a, b] = stream_pair();
    const std::regex end_tag("</[a-z]+>");
    run([&]() -> boost::asio::awaitable<void> {
        const auto write_in_two = [&]() -> boost::asio::awaitable<std::string> {
            co_await a->write("<p>x</");
            co_await gen::sleep(20ms);
            co_await a->write("p>tail");
            co_return std::string();
        };
        const auto [head, ignored] =
            co_await gen::multi(iostream::read_until_regex(*b, end_tag), write_in_two());
        BOOST_TEST(head == "<p>x</p>");
        BOOST_TEST(co_await b->read_bytes(4) == "tail");
    });
}

BOOST_AUTO_TEST_CASE(read_until_regex_gives_up_past_max_bytes_and_closes) {
    auto [a, b] = stream_pair();
    const std::regex digit("[0-9]");
    run([&]() -> boost::asio::awaitable<void> {
        co_await a->write("abcdefghij1");
        BOOST_CHECK_THROW(co_await iostream::read_until_regex(*b, digit, 8),
                          iostream::UnsatisfiableReadError);
        BOOST_TEST(b->closed());
    });
}

BOOST_AUTO_TEST_SUITE_END()
