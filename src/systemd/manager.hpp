// The handful of systemd Manager operations formation uses, behind one small
// interface: the real one speaks sd-bus (bus_manager.cpp), tests may fake it.
// Speaks units, jobs and properties only; knows nothing of formations.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace formation::systemd {

// A D-Bus or systemd failure. exit_code(): 3 when systemd is unreachable or
// refused a call; 1 when a job it ran failed.
class SystemdError : public std::runtime_error {
public:
    SystemdError(std::string message, std::string bus_error_name = {}, int exit_code = 3)
        : std::runtime_error(std::move(message)), bus_error_name_(std::move(bus_error_name)), exit_code_(exit_code) {}
    const std::string& bus_error_name() const { return bus_error_name_; }
    int exit_code() const { return exit_code_; }

private:
    std::string bus_error_name_;
    int exit_code_;
};

constexpr std::uint64_t unknown_value = UINT64_MAX;

struct UnitState {
    std::string name;
    std::string load_state;    // loaded, not-found, masked, …
    std::string active_state;  // active, inactive, failed, activating, deactivating, reloading
    std::string sub_state;     // running, dead, auto-restart, …
    std::string result;        // Service Result: success, exit-code, signal, timeout, start-limit-hit, …
    std::uint32_t main_pid = 0;
    std::uint64_t active_enter_usec = 0;       // ActiveEnterTimestamp, CLOCK_REALTIME µs; 0 if never
    std::uint64_t inactive_exit_usec = 0;      // InactiveExitTimestamp (start began)
    std::uint64_t exec_main_start_usec = 0;    // ExecMainStartTimestamp: the current process started
    std::uint64_t memory_current = unknown_value;
    std::uint32_t n_restarts = 0;
    bool need_daemon_reload = false;
    std::string fragment_path;  // the unit file it was loaded from
    std::string source_path;    // SourcePath=: what a generated unit was made from
    std::uint32_t job_id = 0;   // a job queued for the unit (list_unit_states only), 0 if none
};

enum class JobType { start, stop, restart, try_restart };

struct JobRequest {
    JobType type;
    std::string unit;
};

struct JobOutcome {
    std::string unit;
    std::string result;  // "done", "canceled", "timeout", "failed", "dependency", "skipped"; or the bus error
    bool ok() const { return result == "done" || result == "skipped"; }
};

class Manager {
public:
    virtual ~Manager() = default;

    // Loaded units matching shell globs (ListUnitsByPatterns, any state):
    // name, load_state, active_state, sub_state and job_id of each (other
    // fields stay default). One round trip, whatever the count.
    virtual std::vector<UnitState> list_unit_states(const std::vector<std::string>& patterns) = 0;

    // State of each named unit (loaded or not), in the order given. Pipelined:
    // all calls are sent before the first reply is awaited.
    virtual std::vector<UnitState> unit_states(const std::vector<std::string>& units) = 0;

    // daemon-reload; returns when the manager has finished reloading.
    virtual void reload() = 0;

    // Queues every job (mode "replace"), pipelined, and waits until each has
    // been removed, or `timeout_usec` has passed (then the result of the jobs
    // still queued is "still running after N s"; they stay queued in systemd).
    // Outcomes are in request order. Never throws for a failed job: that is
    // an outcome. Throws SystemdError when the bus itself fails.
    // Jobs run concurrently: systemd begins the queued ones in its own order
    // (measured: even calls sent one after the other's reply do not keep
    // theirs under load).
    virtual std::vector<JobOutcome> run_jobs(const std::vector<JobRequest>& jobs, std::uint64_t timeout_usec) = 0;

    virtual void reset_failed(const std::vector<std::string>& units) = 0;
};

// Connects to the system manager, or the calling user's manager when `user`:
// through the bus daemon, or, as systemctl does, straight to systemd's
// private socket when there is no bus daemon (/run/systemd/private, or
// $XDG_RUNTIME_DIR/systemd/private). Throws SystemdError (exit code 3)
// naming what it tried and why it failed.
std::unique_ptr<Manager> connect_manager(bool user);

}  // namespace formation::systemd
