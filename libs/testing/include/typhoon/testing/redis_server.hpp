#ifndef TYPHOON_TESTING_REDIS_SERVER_HPP
#define TYPHOON_TESTING_REDIS_SERVER_HPP

#include <boost/test/tools/assertion_result.hpp>
#include <boost/test/tree/test_unit.hpp>

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace typhoon::testing {

/** A private Redis server for a test: Debian's redis-server in a temporary directory, on a free
    port of 127.0.0.1 and a UNIX socket, with nothing saved to disk, stopped (and its directory
    removed) when its owner goes. It needs no Redis client: a test that uses one brings its own.

        auto& server = testing::RedisServer::instance();   // one per test program
        if (!server.running()) skip(server.why_not());      // redis-server is not installed
        redis::Client client(server.url());

    TYPHOON_TEST_REDIS_SERVER names another redis-server binary (a missing one shows the skip
    path). Nothing here throws except the constructor, when no temporary directory can be made. */
class RedisServer {
public:
    /// The shared server (no password), started on the first call. Check running() first.
    static RedisServer& instance();
    /// A server of its own, started now, with extra arguments (e.g. {"--requirepass", "s3"}).
    explicit RedisServer(std::vector<std::string> extra = {});
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    /// Whether the server is up (it was started, and neither killed nor failed to start).
    bool running() const noexcept { return pid_ > 0; }
    /// Why the server is not running, with the end of its log.
    const std::string& why_not() const noexcept { return why_not_; }
    /// Its TCP port on 127.0.0.1, the same across kill() and start().
    int port() const noexcept { return port_; }
    /// The path of its UNIX socket, for `unix://` URLs.
    std::string socket() const { return (directory_ / "redis.sock").string(); }
    /// "redis://127.0.0.1:<port>" (add "/db" or credentials as needed).
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

    /// SIGKILL, as a crash would; start() brings it back on the same port and socket.
    void kill();
    /// Starts redis-server and waits until it answers PING. Sets why_not() on failure.
    bool start();
    ///@{
    /// SIGSTOP and SIGCONT: a server that accepts nothing and answers nothing, then resumes.
    void pause();
    void resume();
    ///@}

private:
    void stop();

    std::filesystem::path directory_;
    std::vector<std::string> extra_;
    int port_ = 0;
    pid_t pid_ = -1;
    bool paused_ = false;
    std::string why_not_;
};

/** A Boost.Test precondition for a suite that needs the shared server:
    `BOOST_FIXTURE_TEST_SUITE(s, F, *boost::unit_test::precondition(testing::redis_is_running))`.
    Without a server every case is reported skipped with the reason, printed as "REDIS TESTS
    SKIPPED: ...", which the test's SKIP_REGULAR_EXPRESSION turns into a skip, never a pass. */
boost::test_tools::assertion_result redis_is_running(boost::unit_test::test_unit_id);

}  // namespace typhoon::testing

#endif
