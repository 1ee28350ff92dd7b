#include "mariadb_server.hpp"

#include <typhoon/testing/private_server.hpp>

#include <mysql.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

namespace database_test {

namespace {

// TYPHOON_TEST_MARIADBD names another server binary (or a missing one, to see the skip path).
const char* const mariadbd = std::getenv("TYPHOON_TEST_MARIADBD")
                                 ? std::getenv("TYPHOON_TEST_MARIADBD")
                                 : "/usr/sbin/mariadbd";
const char* const install_db = "/usr/bin/mariadb-install-db";

}  // namespace

MariaDBServer& MariaDBServer::instance() {
    static MariaDBServer server;  // stopped by its destructor when the test program exits
    return server;
}

MariaDBServer::MariaDBServer() {
    if (access(mariadbd, X_OK) != 0 || access(install_db, X_OK) != 0) {
        why_not_ = std::string(mariadbd) + " or " + install_db +
                   " is missing: install Debian's mariadb-server (tools/bootstrap does)";
        return;
    }
    if (install()) start();
}

MariaDBServer::~MariaDBServer() {
    stop();
}

bool MariaDBServer::install() {
    std::vector<std::string> command = {install_db,
                                        "--no-defaults",
                                        "--datadir=" + (directory_.path / "data").string(),
                                        "--auth-root-authentication-method=normal",
                                        "--skip-test-db",
                                        "--skip-name-resolve"};
    if (geteuid() == 0) command.push_back("--user=root");  // mariadbd refuses root otherwise
    const auto log = (directory_.path / "install.log").string();
    pid_t pid = typhoon::testing::spawn_logged(command, log);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        why_not_ = "mariadb-install-db failed:\n" + typhoon::testing::log_tail(log);
        return false;
    }
    port_ = typhoon::testing::unused_port();
    return true;
}

bool MariaDBServer::start() {
    const auto data = directory_.path / "data";
    std::vector<std::string> command = {
        mariadbd, "--no-defaults", "--datadir=" + data.string(),
        "--socket=" + (directory_.path / "mysqld.sock").string(), "--port=" + std::to_string(port_),
        "--bind-address=127.0.0.1", "--skip-networking=0", "--skip-name-resolve",
        "--pid-file=" + (directory_.path / "mysqld.pid").string(),
        "--log-error=" + (directory_.path / "error.log").string(), "--max-connections=500",
        // A throw-away server: durability costs time and buys nothing here.
        "--innodb-flush-log-at-trx-commit=0", "--innodb-buffer-pool-size=32M", "--skip-log-bin"};
    if (geteuid() == 0) command.push_back("--user=root");
    pid_ = typhoon::testing::spawn_logged(command, directory_.path / "server.log");
    if (pid_ < 0) {
        why_not_ = "cannot run " + std::string(mariadbd);
        return false;
    }
    // Waiting for another process to come up: poll until it answers, or exits, or 60 s pass.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::string error;
    while (std::chrono::steady_clock::now() < give_up) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            why_not_ = "mariadbd exited at start-up:\n" +
                       typhoon::testing::log_tail(directory_.path / "error.log");
            return false;
        }
        if (run_sql("SELECT 1", &error)) {
            why_not_.clear();
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    why_not_ = "mariadbd did not accept connections within 60 s (" + error + "):\n" +
               typhoon::testing::log_tail(directory_.path / "error.log");
    stop();
    return false;
}

void MariaDBServer::kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

void MariaDBServer::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 300; ++i) {  // up to 30 s for a clean shutdown, then no more waiting
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill();
}

bool MariaDBServer::run_sql(const std::string& sql, std::string* error) {
    MYSQL* mysql = mysql_init(nullptr);
    unsigned timeout = 2;
    mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    bool ok = mysql_real_connect(mysql, "127.0.0.1", "root", nullptr, nullptr,
                                 static_cast<unsigned>(port_), nullptr, 0) &&
              mysql_query(mysql, sql.c_str()) == 0;
    if (!ok && error) *error = mysql_error(mysql);
    if (ok) {
        if (MYSQL_RES* result = mysql_store_result(mysql)) mysql_free_result(result);
    }
    mysql_close(mysql);
    return ok;
}

std::string MariaDBServer::create_database() {
    const std::string name = "test_" + std::to_string(++databases_);
    std::string error;
    if (!run_sql("CREATE DATABASE " + name + " CHARACTER SET utf8mb4", &error))
        throw std::runtime_error("cannot create database " + name + ": " + error);
    return "mysql://root@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

boost::test_tools::assertion_result mariadb_is_running(boost::unit_test::test_unit_id) {
    auto& server = MariaDBServer::instance();
    if (server.running()) return true;
    std::cerr << "\n*** MARIADB TESTS SKIPPED: the test server could not start ***\n"
              << server.why_not() << "\n";
    boost::test_tools::assertion_result result(false);
    result.message() << "MARIADB TESTS SKIPPED: " << server.why_not();
    return result;
}

}  // namespace database_test
