#include <typhoon/testing/postgresql_server.hpp>

#include <typhoon/testing/private_server.hpp>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace typhoon::testing {

namespace {

// TYPHOON_TEST_POSTGRESQL_BIN names another directory of binaries (or a missing one).
std::string binaries() {
    const char* bin = std::getenv("TYPHOON_TEST_POSTGRESQL_BIN");
    return bin ? bin : "/usr/lib/postgresql/15/bin";
}

/** spawn_logged(), but the child becomes `uid`/`gid` first when they differ from ours: initdb
    and postgres exit at once when started as root. */
pid_t spawn_as(uid_t uid, gid_t gid, const std::vector<std::string>& arguments,
               const std::filesystem::path& log, const std::filesystem::path& directory) {
    if (uid == geteuid()) return spawn_logged(arguments, log);
    std::vector<char*> argv;
    for (const auto& argument : arguments)
        argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid != 0) return pid;
    // The child: only async-signal-safe calls until exec.
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
    }
    if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(126);
    if (chdir(directory.c_str()) != 0) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
}

bool exited_cleanly(pid_t pid) {
    int status = 0;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

/// libpq's URI escapes a socket directory in the host: "/tmp/x" is "%2Ftmp%2Fx".
std::string escape_path(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (c == '/')
            out += "%2F";
        else
            out += c;
    }
    return out;
}

}  // namespace

PostgreSQLServer& PostgreSQLServer::instance() {
    static PostgreSQLServer server;  // stopped by its destructor when the test program exits
    return server;
}

PostgreSQLServer::PostgreSQLServer() : bin_(binaries()), uid_(geteuid()), gid_(getegid()) {
    std::string pattern = (std::filesystem::temp_directory_path() / "typhoon-pg-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    directory_ = pattern;
    if (access((bin_ + "/initdb").c_str(), X_OK) != 0 ||
        access((bin_ + "/postgres").c_str(), X_OK) != 0 ||
        access((bin_ + "/psql").c_str(), X_OK) != 0) {
        why_not_ = bin_ +
                   "/initdb, postgres or psql is missing: install Debian's postgresql "
                   "(tools/bootstrap does)";
        return;
    }
    if (install()) start();
}

PostgreSQLServer::~PostgreSQLServer() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
}

bool PostgreSQLServer::install() {
    if (uid_ == 0) {
        const passwd* user = getpwnam("postgres");
        if (!user) user = getpwnam("nobody");
        if (!user) {
            why_not_ = "running as root, and neither a postgres nor a nobody user exists";
            return false;
        }
        uid_ = user->pw_uid;
        gid_ = user->pw_gid;
        if (chown(directory_.c_str(), uid_, gid_) != 0) {
            why_not_ = "cannot give " + directory_.string() + " to " + user->pw_name;
            return false;
        }
    }
    const auto log = directory_ / "initdb.log";
    const pid_t pid =
        spawn_as(uid_, gid_,
                 {bin_ + "/initdb", "-D", (directory_ / "data").string(), "-U", "typhoon",
                  "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"},
                 log, directory_);
    if (!exited_cleanly(pid)) {
        why_not_ = "initdb failed:\n" + log_tail(log);
        return false;
    }
    port_ = unused_port();
    return true;
}

bool PostgreSQLServer::start() {
    const auto log = directory_ / "server.log";
    pid_ = spawn_as(
        uid_, gid_,
        {bin_ + "/postgres", "-D", (directory_ / "data").string(), "-p", std::to_string(port_),
         "-k", directory_.string(), "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300",
         "-c", "unix_socket_permissions=0777",
         // A throw-away cluster: durability costs time and buys nothing here.
         "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"},
        log, directory_);
    if (pid_ < 0) {
        why_not_ = "cannot run " + bin_ + "/postgres";
        return false;
    }
    // Waiting for another process to come up: poll until it answers, or exits, or 60 s pass.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < give_up) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            why_not_ = "postgres exited at start-up:\n" + log_tail(log);
            return false;
        }
        const pid_t probe = spawn_logged({bin_ + "/pg_isready", "-q", "-h", directory_.string(),
                                          "-p", std::to_string(port_), "-U", "typhoon"},
                                         directory_ / "probe.log");
        if (exited_cleanly(probe)) {
            why_not_.clear();
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    why_not_ = "postgres did not accept connections within 60 s:\n" + log_tail(log);
    stop();
    return false;
}

std::string PostgreSQLServer::url(const std::string& database) const {
    return "postgresql://typhoon@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgreSQLServer::socket_url(const std::string& database) const {
    return "postgresql://typhoon@" + escape_path(directory_.string()) + ":" +
           std::to_string(port_) + "/" + database;
}

bool PostgreSQLServer::run_sql(const std::string& sql, const std::string& database,
                               std::string* error) {
    const auto log = directory_ / "psql.log";
    std::error_code ignored;
    std::filesystem::remove(log, ignored);
    const pid_t pid = spawn_logged(
        {bin_ + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", directory_.string(), "-p",
         std::to_string(port_), "-U", "typhoon", "-d", database, "-c", sql},
        log);
    const bool ok = exited_cleanly(pid);
    if (!ok && error) *error = log_tail(log);
    return ok;
}

std::string PostgreSQLServer::create_database() {
    const std::string name = "test_" + std::to_string(++databases_);
    std::string error;
    if (!run_sql("CREATE DATABASE " + name, "postgres", &error))
        throw std::runtime_error("cannot create database " + name + ": " + error);
    return url(name);
}

void PostgreSQLServer::kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGQUIT);
    for (int i = 0; i < 100; ++i) {
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

void PostgreSQLServer::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGINT);  // a fast shutdown: sessions are ended, no checkpoint wait by clients
    for (int i = 0; i < 200; ++i) {  // up to 10 s, then an immediate shutdown
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill();
}

boost::test_tools::assertion_result postgresql_is_running(boost::unit_test::test_unit_id) {
    auto& server = PostgreSQLServer::instance();
    if (server.running()) return true;
    std::cerr << "\n*** POSTGRESQL TESTS SKIPPED: the test server could not start ***\n"
              << server.why_not() << "\n";
    boost::test_tools::assertion_result result(false);
    result.message() << "POSTGRESQL TESTS SKIPPED: " << server.why_not();
    return result;
}

}  // namespace typhoon::testing
