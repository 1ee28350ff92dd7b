#include <typhoon/net/process.hpp>

#include <typhoon/core/error.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/ioloop/ioloop.hpp>

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>

namespace typhoon::process {

namespace {
std::optional<int> current_task_id;
}

int cpu_count() noexcept {
    cpu_set_t set;
    if (::sched_getaffinity(0, sizeof set, &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
    const unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? static_cast<int>(n) : 1;
}

std::optional<int> task_id() noexcept {
    return current_task_id;
}

int fork_processes(int num_processes, std::optional<int> max_restarts) {
    if (current_task_id) throw Error("fork_processes: this process is already a child");
    if (ioloop::IOLoop::current_or_null())
        throw Error(
            "Cannot run in multiple processes: IOLoop instance has already been initialized");
    if (num_processes <= 0) num_processes = cpu_count();
    const int restart_limit = max_restarts.value_or(100);
    log::gen_log.info("Starting " + std::to_string(num_processes) + " processes");

    std::map<pid_t, int> children;
    const auto start_child = [&](int id) -> bool {
        std::fflush(nullptr);  // or buffered output would be written once per process
        const pid_t pid = ::fork();
        if (pid < 0) throw Error(std::string("fork failed: ") + std::strerror(errno));
        if (pid == 0) {
            current_task_id = id;
            return true;
        }
        children.emplace(pid, id);
        return false;
    };
    for (int id = 0; id < num_processes; ++id)
        if (start_child(id)) return id;

    int restarts = 0;
    while (!children.empty()) {
        int status = 0;
        const pid_t pid = ::wait(&status);
        if (pid < 0) {
            if (errno == EINTR) continue;
            throw Error(std::string("wait failed: ") + std::strerror(errno));
        }
        const auto child = children.find(pid);
        if (child == children.end()) continue;
        const int id = child->second;
        children.erase(child);
        const std::string who =
            "child " + std::to_string(id) + " (pid " + std::to_string(pid) + ")";
        if (WIFSIGNALED(status)) {
            log::gen_log.warning(who + " killed by signal " + std::to_string(WTERMSIG(status)) +
                                 ", restarting");
        } else if (WEXITSTATUS(status) != 0) {
            log::gen_log.warning(who + " exited with status " +
                                 std::to_string(WEXITSTATUS(status)) + ", restarting");
        } else {
            log::gen_log.info(who + " exited normally");
            continue;
        }
        if (++restarts > restart_limit) throw Error("Too many child restarts, giving up");
        if (start_child(id)) return id;
    }
    // Every child finished cleanly: the parent's work is done too (Tornado exits here as well,
    // so that the caller does not go on to serve in the supervisor).
    std::exit(0);
}

}  // namespace typhoon::process
