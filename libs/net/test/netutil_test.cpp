#include <typhoon/net/netutil.hpp>

#include "loop_fixture.hpp"

#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace typhoon;

BOOST_FIXTURE_TEST_SUITE(netutil_test, net_test::LoopFixture)

BOOST_AUTO_TEST_CASE(is_valid_ip_accepts_address_literals_only) {
    // Expected values were produced by Debian's python3-tornado 6.2 (getaddrinfo's reading).
    for (const char* ip : {"127.0.0.1", "4.4.4.4", "::1", "2620:0:1cfe:face:b00c::3", "1.2.3",
                           "fe80::1%lo", "::ffff:1.2.3.4", "01.2.3.4"})
        BOOST_TEST(netutil::is_valid_ip(ip), ip);
    for (const char* ip :
         {"www.google.com", "localhost", "4.4.4.4<", " 127.0.0.1", "", "256.1.1.1"})
        BOOST_TEST(!netutil::is_valid_ip(ip), ip);
    BOOST_TEST(!netutil::is_valid_ip(std::string_view("\0", 1)));
}

BOOST_AUTO_TEST_CASE(bind_sockets_listens_on_every_family_with_one_port) {
    const auto sockets = netutil::bind_sockets(0, "");
    BOOST_TEST_REQUIRE(!sockets.empty());
    const auto port = sockets.front().port();
    BOOST_TEST(port != 0);
    for (const auto& socket : sockets)
        BOOST_TEST(socket.port() == port);  // v4 and v6 share the port
}

BOOST_AUTO_TEST_CASE(bind_sockets_refuses_a_port_in_use) {
    const auto first = netutil::bind_sockets(0, "127.0.0.1");
    BOOST_CHECK_THROW(netutil::bind_sockets(first.front().port(), "127.0.0.1"),
                      boost::system::system_error);
}

BOOST_AUTO_TEST_CASE(reuse_port_lets_two_sockets_share_a_port) {
    const auto first = netutil::bind_sockets(0, "127.0.0.1", {.reuse_port = true});
    const auto second =
        netutil::bind_sockets(first.front().port(), "127.0.0.1", {.reuse_port = true});
    BOOST_TEST(second.front().port() == first.front().port());
}

BOOST_AUTO_TEST_CASE(bind_unix_socket_replaces_a_stale_socket_but_not_a_file) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("typhoon-netutil-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "sock").string();
    {
        const auto stale = netutil::bind_unix_socket(path);
        BOOST_TEST(stale.family() == AF_UNIX);
    }
    const auto fresh = netutil::bind_unix_socket(path, 0660);
    const auto permissions =
        std::filesystem::status(path).permissions() & std::filesystem::perms::all;
    BOOST_TEST(static_cast<unsigned>(permissions) == 0660u);
    const std::string file = (dir / "file").string();
    std::ofstream(file) << "not a socket";
    BOOST_CHECK_THROW(netutil::bind_unix_socket(file), boost::system::system_error);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(resolver_finds_loopback) {
    run([&]() -> boost::asio::awaitable<void> {
        netutil::Resolver resolver;
        const auto endpoints = co_await resolver.resolve("127.0.0.1", 80, netutil::Family::inet);
        BOOST_TEST_REQUIRE(endpoints.size() == 1u);
        BOOST_TEST(endpoints.front().address().to_string() == "127.0.0.1");
        BOOST_TEST(endpoints.front().port() == 80);
        BOOST_CHECK_THROW(co_await resolver.resolve("no-such-host.invalid", 80),
                          boost::system::system_error);
    });
}

BOOST_AUTO_TEST_SUITE_END()
