#include <typhoon/testing/redis_server.hpp>

#include <typhoon/testing/private_server.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace typhoon::testing {

namespace {

// TYPHOON_TEST_REDIS_SERVER names another binary (or a missing one, to see the skip path).
const char* const redis_server = std::getenv("TYPHOON_TEST_REDIS_SERVER")
                                     ? std::getenv("TYPHOON_TEST_REDIS_SERVER")
                                     : "/usr/bin/redis-server";

/// Whether something answers PING on the UNIX socket (a blocking probe, outside any loop). A
/// server started with a password answers -NOAUTH, which counts: it is up.
bool answers(const std::string& path) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    bool up = false;
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        timeval timeout{1, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        const char ping[] = "PING\r\n";
        char reply[64] = {};
        up = write(fd, ping, sizeof ping - 1) == sizeof ping - 1 &&
             read(fd, reply, sizeof reply) > 0;
    }
    close(fd);
    return up;
}

}  // namespace

RedisServer& RedisServer::instance() {
    static RedisServer server;  // stopped by its destructor when the test program exits
    return server;
}

RedisServer::RedisServer(std::vector<std::string> extra) : extra_(std::move(extra)) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "typhoon-redis-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    directory_ = pattern;
    if (access(redis_server, X_OK) != 0) {
        why_not_ = std::string(redis_server) +
                   " is missing: install Debian's redis-server (tools/bootstrap does)";
        return;
    }
    port_ = unused_port();
    start();
}

RedisServer::~RedisServer() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
}

bool RedisServer::start() {
    std::vector<std::string> arguments = {
        redis_server, "--port", std::to_string(port_), "--bind", "127.0.0.1", "--unixsocket",
        socket(), "--unixsocketperm", "700", "--dir", directory_.string(),
        // A throw-away server: nothing is written to disk.
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "local"};
    arguments.insert(arguments.end(), extra_.begin(), extra_.end());
    const auto log = directory_ / "server.log";
    pid_ = spawn_logged(arguments, log);
    if (pid_ < 0) {
        why_not_ = "cannot run " + std::string(redis_server);
        return false;
    }
    // Waiting for another process to come up: poll until it answers, or exits, or 20 s pass.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < give_up) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            why_not_ = "redis-server exited at start-up:\n" + log_tail(log);
            return false;
        }
        if (answers(socket())) {
            why_not_.clear();
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    why_not_ = "redis-server did not answer within 20 s:\n" + log_tail(log);
    stop();
    return false;
}

void RedisServer::kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    paused_ = false;
}

void RedisServer::pause() {
    if (pid_ > 0 && !paused_) ::kill(pid_, SIGSTOP);
    paused_ = pid_ > 0;
}

void RedisServer::resume() {
    if (pid_ > 0 && paused_) ::kill(pid_, SIGCONT);
    paused_ = false;
}

boost::test_tools::assertion_result redis_is_running(boost::unit_test::test_unit_id) {
    auto& server = RedisServer::instance();
    if (server.running()) return true;
    std::cerr << "\n*** REDIS TESTS SKIPPED: the test server could not start ***\n"
              << server.why_not() << "\n";
    boost::test_tools::assertion_result result(false);
    result.message() << "REDIS TESTS SKIPPED: " << server.why_not();
    return result;
}

void RedisServer::stop() {
    if (pid_ <= 0) return;
    resume();
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {  // up to 10 s for a clean shutdown, then no more waiting
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill();
}

}  // namespace typhoon::testing
