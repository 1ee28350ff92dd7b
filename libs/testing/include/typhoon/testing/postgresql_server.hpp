#ifndef TYPHOON_TESTING_POSTGRESQL_SERVER_HPP
#define TYPHOON_TESTING_POSTGRESQL_SERVER_HPP

#include <boost/test/tools/assertion_result.hpp>
#include <boost/test/tree/test_unit.hpp>

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace typhoon::testing {

/** A private PostgreSQL cluster for a test: Debian's initdb and postgres (PostgreSQL 15) in a
    temporary directory, listening on a UNIX socket in that directory and on a free port of
    127.0.0.1, with durability turned off, stopped (and its directory removed) when the test
    program exits. It needs no PostgreSQL client library: SQL is run through psql.

        auto& server = testing::PostgreSQLServer::instance();  // one per test program
        if (!server.running()) skip(server.why_not());          // postgresql is not installed
        database::Connection db(server.create_database());      // postgresql://typhoon@...

    initdb and postgres refuse to run as root, so under root they run as the `postgres` user
    Debian's package creates (or `nobody`), owning the directory. The superuser is `typhoon`,
    trusted without a password. TYPHOON_TEST_POSTGRESQL_BIN names another directory of
    binaries (a missing one shows the skip path). Nothing here throws except the constructor,
    when no temporary directory can be made, and create_database(). */
class PostgreSQLServer {
public:
    /// The shared cluster, started on the first call. Check running() first.
    static PostgreSQLServer& instance();
    PostgreSQLServer();
    ~PostgreSQLServer();
    PostgreSQLServer(const PostgreSQLServer&) = delete;
    PostgreSQLServer& operator=(const PostgreSQLServer&) = delete;

    /// Whether the server is up (it was started, and neither killed nor failed to start).
    bool running() const noexcept { return pid_ > 0; }
    /// Why the server is not running, with the end of its log.
    const std::string& why_not() const noexcept { return why_not_; }
    /// Its TCP port on 127.0.0.1, the same across restarts.
    int port() const noexcept { return port_; }
    /// The directory holding the server's UNIX socket (libpq's `host` for a socket).
    std::string socket_directory() const { return directory_.string(); }
    /// "postgresql://typhoon@127.0.0.1:<port>/<database>", over TCP.
    std::string url(const std::string& database = "postgres") const;
    /// The same database over the UNIX socket: the host is the socket's directory, escaped.
    std::string socket_url(const std::string& database = "postgres") const;

    /** A new, empty database; returns its url(). @throws std::runtime_error when psql fails. */
    std::string create_database();
    /** Runs `sql` with psql on `database`; false (and the message in `error`) on failure. */
    bool run_sql(const std::string& sql, const std::string& database = "postgres",
                 std::string* error = nullptr);

    /// An immediate shutdown (SIGQUIT: every session dropped at once, as in a crash);
    /// start() brings the cluster back on the same data, port and socket.
    void kill();
    /// Starts postgres and waits until it accepts connections. Sets why_not() on failure.
    bool start();

private:
    bool install();
    void stop();

    std::filesystem::path directory_;
    std::string bin_;
    int port_ = 0;
    pid_t pid_ = -1;
    int databases_ = 0;
    uid_t uid_ = 0;  // who runs initdb and postgres: ourselves, or an unprivileged user as root
    gid_t gid_ = 0;
    std::string why_not_;
};

/** A Boost.Test precondition for a suite that needs the shared cluster:
    `BOOST_FIXTURE_TEST_SUITE(s, F,
   *boost::unit_test::precondition(testing::postgresql_is_running))`. Without a server every case is
   reported skipped with the reason, printed as "POSTGRESQL TESTS SKIPPED: ...", which the test's
   SKIP_REGULAR_EXPRESSION turns into a skip. */
boost::test_tools::assertion_result postgresql_is_running(boost::unit_test::test_unit_id);

}  // namespace typhoon::testing

#endif
