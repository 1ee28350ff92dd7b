#ifndef TYPHOON_REDIS_TEST_REDIS_SERVER_HPP
#define TYPHOON_REDIS_TEST_REDIS_SERVER_HPP

// A private Redis server for the tests: Debian's redis-server in a temporary directory, on a
// free port of 127.0.0.1 and a UNIX socket, with nothing saved to disk. Started on first use and
// stopped when its owner goes, so one run of the test binary pays for one server.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace redis_test {

class RedisServer {
public:
    /// The shared server (no password), started on the first call. Check running() first.
    static RedisServer& instance();
    /// A server of its own, started now, with extra arguments (e.g. {"--requirepass", "s3"}).
    explicit RedisServer(std::vector<std::string> extra = {});
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    bool running() const noexcept { return pid_ > 0; }
    /// Why the server is not running, with the end of its log.
    const std::string& why_not() const noexcept { return why_not_; }
    int port() const noexcept { return port_; }
    std::string socket() const { return (directory_ / "redis.sock").string(); }
    /// "redis://127.0.0.1:<port>" (add "/db" or credentials as needed).
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

    /// SIGKILL, as a crash would; start() brings it back on the same port and socket.
    void kill();
    /// Starts redis-server and waits until it answers PING. Sets why_not() on failure.
    bool start();
    /// SIGSTOP and SIGCONT: a server that accepts nothing and answers nothing, then resumes.
    void pause();
    void resume();

private:
    void stop();

    std::filesystem::path directory_;
    std::vector<std::string> extra_;
    int port_ = 0;
    pid_t pid_ = -1;
    bool paused_ = false;
    std::string why_not_;
};

}  // namespace redis_test

#endif
