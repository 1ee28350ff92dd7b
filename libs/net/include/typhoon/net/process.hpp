#ifndef TYPHOON_NET_PROCESS_HPP
#define TYPHOON_NET_PROCESS_HPP

#include <optional>

/// Multi-process servers (tornado.process).
namespace typhoon::process {

/// The number of processors available to this process (its CPU affinity), at least 1.
int cpu_count() noexcept;

/** Forks `num_processes` children (0 or less: cpu_count()) and returns, in each child, its task
    id from 0 to num_processes - 1 (tornado.process.fork_processes). The parent never returns: it
    waits for the children, restarts one that crashed (killed by a signal or exited non-zero) and
    exits with status 0 once all have exited normally.

    Call it before any IOLoop exists: a loop's kernel objects must not be shared across processes.
    @throws typhoon::Error if an IOLoop is current on this thread, if this process is already a
    child, or (in the parent) after more than `max_restarts` restarts (default 100). */
int fork_processes(int num_processes, std::optional<int> max_restarts = {});

/// This process's task id when it is a child of fork_processes(), std::nullopt otherwise.
std::optional<int> task_id() noexcept;

}  // namespace typhoon::process

#endif
