// The handful of systemd Manager operations formation uses, behind one small
// interface: the real one speaks sd-bus (bus_manager.cpp), tests may fake it.
// Speaks units, jobs and properties only; knows nothing of formations.
#pragma once

#include <cstdint>
#include <functional>
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
    std::uint64_t exec_main_exit_usec = 0;     // ExecMainExitTimestamp: the last main process exited
    std::int32_t exec_main_status = 0;         // ExecMainStatus: its exit status, or the signal that killed it
    std::uint64_t next_elapse_usec = 0;        // a timer's NextElapseUSecRealtime; 0: none
    std::uint64_t last_trigger_usec = 0;       // a timer's LastTriggerUSec; 0: never
    std::uint64_t memory_current = unknown_value;
    std::uint64_t cpu_usage_nsec = unknown_value;  // CPUUsageNSec: CPU time of the unit's cgroup
    std::uint32_t n_restarts = 0;
    bool need_daemon_reload = false;
    std::string fragment_path;  // the unit file it was loaded from
    std::string source_path;    // SourcePath=: what a generated unit was made from
    std::uint32_t job_id = 0;   // a job queued for the unit (list_unit_states only), 0 if none
};

// restart_alone: RestartUnit with job mode "ignore-dependencies": the unit
// alone, not the units that require it (a shared socket moving to a new
// port while its instances keep serving the old one).
enum class JobType { start, stop, restart, try_restart, reload, restart_alone };

struct JobRequest {
    JobType type;
    std::string unit;
};

struct JobOutcome {
    std::string unit;
    std::string result;  // "done", "canceled", "timeout", "failed", "dependency", "skipped"; or the bus error
    bool ok() const { return result == "done" || result == "skipped"; }
};

// Where a run_jobs() call stands, for an observer that shows progress.
struct JobProgress {
    std::size_t total = 0;                  // jobs of the call
    std::size_t done = 0;                   // removed (whatever their result)
    std::vector<const JobRequest*> waiting; // not yet removed, in request order
    std::uint64_t elapsed_usec = 0;         // since the call began
    bool finished = false;                  // the last report of the call
};
using JobObserver = std::function<void(const JobProgress&)>;

// A one-off service started with StartTransientUnit, as `systemd-run` makes it.
struct TransientSpec {
    std::string name;         // "shop-web-run-1a2b3c.service"
    std::string description;
    std::vector<std::string> argv;  // ExecStart=; argv[0] an absolute path
    // [Service] settings in unit-file syntax, as a unit file (or
    // `systemd-run -p`) would say them; see unit_properties.hpp for the keys.
    std::vector<std::pair<std::string, std::string>> settings;
    std::string instance;     // what %i and %I stand for in the settings
    // Standard input, output and error: the terminal at tty_path when set
    // (opened by systemd; the service gets it as controlling terminal),
    // else these descriptors, passed to systemd.
    std::string tty_path;
    int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;
};

// How a transient service's main process ended.
struct TransientExit {
    std::string result;  // Service Result: success, exit-code, signal, core-dump, resources, …
    int code = 0;        // ExecMainCode: CLD_EXITED, CLD_KILLED, CLD_DUMPED; 0 when it never ran
    int status = 0;      // exit status, or the signal number
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

    // Queues one job (mode "replace") and returns at once, without waiting
    // for it (the health watcher restarts an instance and goes on checking
    // the others). Throws SystemdError when systemd refuses it.
    virtual void queue_job(const JobRequest& job) = 0;

    // Called while run_jobs waits: when it starts, when a job is removed,
    // about once a second, and once at the end (`finished`). Runs inside
    // the wait; it must not call back into the Manager.
    virtual void set_job_observer(JobObserver observer) = 0;

    // Starts a transient service (StartTransientUnit, mode "fail"), kept
    // until it has ended (AddRef=yes) and garbage-collected once it has been
    // waited for (CollectMode=inactive-or-failed). Returns once the start
    // job is removed, whatever its result. Throws SystemdError when systemd
    // refuses the unit, or std::invalid_argument for a setting it cannot
    // carry.
    virtual void start_transient(const TransientSpec& spec) = 0;

    // Waits until a service started by start_transient() has ended (inactive
    // or failed) and says how. Releases the unit, which systemd then
    // collects.
    virtual TransientExit wait_transient(const std::string& unit) = 0;
};

// Connects to the system manager, or the calling user's manager when `user`.
// As systemctl does: root (and a user for their own manager) straight
// through systemd's private socket (/run/systemd/private, or
// $XDG_RUNTIME_DIR/systemd/private), else through the bus daemon; each is
// the other's fallback. Throws SystemdError (exit code 3) naming what it
// tried and why it failed.
//
// Route::bus_first tries the bus daemon first: what start_transient()
// needs, since the manager refuses AddRef=yes from a caller without a bus
// name (a private-socket peer has none), as systemd-run --wait/--pty also
// connects through the bus.
enum class Route { direct_first, bus_first };
std::unique_ptr<Manager> connect_manager(bool user, Route route = Route::direct_first);

}  // namespace formation::systemd
