#ifndef TYPHOON_DATABASE_TEST_MARIADB_SERVER_HPP
#define TYPHOON_DATABASE_TEST_MARIADB_SERVER_HPP

// A private MariaDB server for the tests: Debian's mariadbd on a temporary data directory and a
// free port of 127.0.0.1, started on first use and stopped when the test program exits, so one
// run of the test binary pays for one server.

#include "database_fixture.hpp"

#include <boost/test/tools/assertion_result.hpp>
#include <boost/test/tree/test_unit.hpp>

#include <sys/types.h>

#include <memory>
#include <string>

namespace database_test {

class MariaDBServer {
public:
    /// The server, started on the first call. Check running() before using it.
    static MariaDBServer& instance();
    ~MariaDBServer();

    bool running() const noexcept { return pid_ > 0; }
    /// Why the server is not running, with the end of its error log.
    const std::string& why_not() const noexcept { return why_not_; }
    /// A new, empty database; returns its mysql:// URL.
    std::string create_database();
    int port() const noexcept { return port_; }

    /// SIGKILL, as a crash would; start() brings it back on the same data and port.
    void kill();
    /// Starts mariadbd and waits until it accepts connections. Sets why_not() on failure.
    bool start();

private:
    MariaDBServer();
    bool install();
    void stop();
    bool run_sql(const std::string& sql, std::string* error = nullptr);

    TemporaryDirectory directory_;
    int port_ = 0;
    pid_t pid_ = -1;
    int databases_ = 0;
    std::string why_not_;
};

/** A Boost.Test precondition for a suite that needs the shared server: without one every case
    is reported skipped with the reason, printed as "MARIADB TESTS SKIPPED: ...", which the
    test's SKIP_REGULAR_EXPRESSION turns into a skip, never a pass. */
boost::test_tools::assertion_result mariadb_is_running(boost::unit_test::test_unit_id);

}  // namespace database_test

#endif
