#include "systemd/explain.hpp"

#include <array>
#include <utility>

namespace formation::systemd {

namespace {

using Row = std::pair<std::string_view, std::string_view>;

constexpr std::array<Row, 7> job_results{{
    {"done", "done"},
    {"canceled", "canceled by a later job for the same unit"},
    {"timeout", "the job timed out (TimeoutStartSec/TimeoutStopSec)"},
    {"failed", "the unit failed"},
    {"dependency", "a unit it requires failed"},
    {"skipped", "nothing to do"},
    {"invalid", "the job does not apply to this unit"},
}};

// systemd.exec(5)/systemd.service(5) "Result=" values.
constexpr std::array<Row, 11> service_results{{
    {"success", "ran and stopped cleanly"},
    {"exit-code", "main process exited with a non-zero status"},
    {"signal", "main process was killed by a signal"},
    {"core-dump", "main process dumped core"},
    {"timeout", "did not start or stop within its timeout"},
    {"watchdog", "watchdog timeout"},
    {"start-limit-hit", "restarted too often; systemd gave up (start limit)"},
    {"resources", "systemd could not set up its resources (user, directory, file)"},
    {"protocol", "did not follow its readiness protocol (ready = \"notify\")"},
    {"oom-kill", "killed by the out-of-memory killer"},
    {"exec-condition", "an ExecCondition= check failed"},
}};

// systemd.socket(5) "Result=" values that a socket's own failure can have.
constexpr std::array<Row, 9> socket_results{{
    {"success", "listening, or stopped cleanly"},
    {"resources", "systemd could not listen on its address (in use by another process, or not permitted)"},
    {"timeout", "a command of the socket (ExecStartPre=, …) timed out"},
    {"exit-code", "a command of the socket (ExecStartPre=, …) exited with a non-zero status"},
    {"signal", "a command of the socket (ExecStartPre=, …) was killed by a signal"},
    {"core-dump", "a command of the socket (ExecStartPre=, …) dumped core"},
    {"start-limit-hit", "started too often; systemd gave up (start limit)"},
    {"trigger-limit-hit", "activated too often; systemd gave up (TriggerLimitBurst=)"},
    {"service-start-limit-hit", "its service was restarted too often; systemd gave up (start limit)"},
}};

template <std::size_t N>
std::string lookup(const std::array<Row, N>& table, std::string_view word) {
    for (const auto& [k, v] : table)
        if (k == word) return std::string(v);
    return std::string(word);
}

}  // namespace

std::string explain_job_result(std::string_view result) { return lookup(job_results, result); }
std::string explain_service_result(std::string_view result) { return lookup(service_results, result); }
std::string explain_socket_result(std::string_view result) { return lookup(socket_results, result); }

}  // namespace formation::systemd
