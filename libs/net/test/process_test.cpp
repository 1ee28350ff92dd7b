#include <typhoon/net/process.hpp>

#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/ioloop.hpp>

#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace typhoon;

namespace {

/// Runs `body` in a forked process (so that fork_processes' supervisor does not take over the
/// test runner) and returns that process's exit status.
template <class F>
int in_subprocess(F body) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        log::clear_handlers();  // keep the children's log lines out of the test output
        int status = 1;
        try {
            status = body();
        } catch (...) {
            status = 3;
        }
        ::_exit(status);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::filesystem::path scratch(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() /
               ("typhoon-process-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(process_test)

BOOST_AUTO_TEST_CASE(cpu_count_is_positive) {
    BOOST_TEST(process::cpu_count() >= 1);
}

BOOST_AUTO_TEST_CASE(the_test_runner_is_no_task) {
    BOOST_TEST(!process::task_id());
}

BOOST_AUTO_TEST_CASE(each_child_gets_its_task_id_and_the_parent_exits_cleanly) {
    const auto dir = scratch("ids");
    const int status = in_subprocess([&] {
        const int id = process::fork_processes(3);
        std::ofstream(dir / std::to_string(id)) << (process::task_id() == id ? "ok" : "wrong");
        return 0;
    });
    BOOST_TEST(status == 0);  // the supervisor exits 0 once every child did
    for (int id = 0; id < 3; ++id) {
        std::ifstream in(dir / std::to_string(id));
        std::string content;
        in >> content;
        BOOST_TEST(content == "ok", "child " << id);
    }
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_crashed_child_is_restarted_with_the_same_id) {
    const auto dir = scratch("restart");
    const int status = in_subprocess([&] {
        const int id = process::fork_processes(2);
        const auto marker = dir / ("crashed-" + std::to_string(id));
        if (id == 1 && !std::filesystem::exists(marker)) {
            std::ofstream(marker) << "once";
            ::kill(::getpid(), SIGKILL);  // killed by a signal: the supervisor starts task 1 again
        }
        std::ofstream(dir / ("done-" + std::to_string(id))) << "ok";
        return 0;
    });
    BOOST_TEST(status == 0);
    BOOST_TEST(std::filesystem::exists(dir / "crashed-1"));
    BOOST_TEST(std::filesystem::exists(dir / "done-0"));
    BOOST_TEST(std::filesystem::exists(dir / "done-1"));
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(too_many_restarts_give_up) {
    const int status = in_subprocess([] {
        try {
            process::fork_processes(1, 2);
        } catch (const Error&) {
            return 42;  // the supervisor's verdict after the third crash
        }
        ::_exit(7);  // every child fails
    });
    BOOST_TEST(status == 42);
}

BOOST_AUTO_TEST_CASE(forking_with_a_loop_is_refused) {
    const int status = in_subprocess([] {
        ioloop::IOLoop loop;  // current on this thread
        try {
            process::fork_processes(2);
        } catch (const Error& e) {
            return std::string(e.what()).find("IOLoop") != std::string::npos ? 0 : 1;
        }
        return 2;
    });
    BOOST_TEST(status == 0);
}

BOOST_AUTO_TEST_SUITE_END()
