#ifndef TYPHOON_TESTING_PRIVATE_SERVER_HPP
#define TYPHOON_TESTING_PRIVATE_SERVER_HPP

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

/** What a test needs to run its own throw-away server (MariaDB, Redis, ...) outside any loop:
    a free port, the server started with its output in a log file, and the end of that log for
    the message when it does not come up.

        const int port = testing::unused_port();
        const pid_t pid = testing::spawn_logged({"/usr/bin/redis-server", "--port",
                                                 std::to_string(port)}, dir / "server.log");
        if (pid < 0) skip("cannot run redis-server");
        ...
        if (exited) fail("redis-server exited:\n" + testing::log_tail(dir / "server.log"));  */
namespace typhoon::testing {

/// A TCP port on 127.0.0.1 that nothing listens on now (the kernel's choice, as Tornado's
/// bind_unused_port makes it); another process may still take it before the server binds.
int unused_port();

/// Starts `arguments[0]` (a path, not searched for) with `arguments`, its standard output and
/// error appended to `log`; the child's pid, or -1 when it could not be started.
pid_t spawn_logged(const std::vector<std::string>& arguments, const std::filesystem::path& log);

/// The last `limit` bytes of `file` (all of it when shorter; empty when unreadable).
std::string log_tail(const std::filesystem::path& file, std::size_t limit = 1500);

}  // namespace typhoon::testing

#endif
