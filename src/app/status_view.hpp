// What `status` shows of one app on one host, typed: built by a pure
// function from the formation's units, what systemd says of them and the
// time; rendered as the local table, as `status --json`, and, decoded from
// another host's JSON, as a row of the multi-host table. The rules (what
// is running, failing, missing; how a failure is explained) exist here
// once, whichever host the instance is on.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compile/unit_set.hpp"
#include "formation/model.hpp"
#include "host/health_state.hpp"
#include "systemd/manager.hpp"

namespace formation::app {

// An instance's socket (socket = true, or one systemd still has loaded):
// systemd holds the port there.
struct SocketStatus {
    std::string unit;  // "shop-web@1.socket"
    std::string active_state, sub_state, result;
};

// A type's one socket (socket = "shared", or one systemd still has loaded):
// every instance accepts on it.
struct SharedSocketStatus {
    std::string unit;  // "shop-web.socket"
    std::string active_state, sub_state, result;
    std::optional<int> port;  // the formation's; nullopt for a type it no longer lists
    // Connections accepted by the kernel that no process has taken yet (the
    // listen queue, from /proc/net/tcp*); nullopt when it cannot be read.
    std::optional<std::uint64_t> waiting;
};

enum class PortSource { process, formation };

struct InstanceStatus {
    std::string unit;  // "shop-web@1.service"
    std::string type;
    int index = 0;
    bool desired = false;  // in the formation; else surplus
    std::string load_state, active_state, sub_state, result;
    std::uint32_t pid = 0;                      // 0: no main process
    std::uint64_t uptime_usec = 0;              // 0 when not active
    std::optional<std::uint64_t> startup_usec;  // "starting" to "started" of the current run
    std::optional<std::uint64_t> memory_bytes;
    std::optional<std::uint64_t> cpu_nsec;  // CPU time of its cgroup (CPUAccounting=)
    std::uint64_t restarts = 0;  // NRestarts
    // The PORT its main process was started with (read from the process:
    // an env file may set another one), else the formation's.
    std::optional<int> port;
    PortSource port_source = PortSource::formation;
    std::optional<SocketStatus> socket;
    // A type with health: what the app's health watcher last saw of it
    // (unit empty: nothing yet), else nullopt.
    std::optional<host::HealthRecord> health;
};

// A scheduled type: its timer and its last (or current) run.
struct ScheduledStatus {
    std::string schedule;  // as written in the formation
    std::string timer;     // "shop-nightly.timer"
    std::string timer_active_state, timer_sub_state;  // active/waiting while it keeps time
    std::uint64_t next_usec = 0;  // the next run, CLOCK_REALTIME µs; 0: none
    std::string service;   // "shop-nightly.service"
    std::string load_state, active_state, sub_state, result;  // the run's: activating/start while it runs
    std::uint32_t pid = 0;
    std::uint64_t last_start_usec = 0;  // the last run began (the current one, while it runs); 0: never
    std::uint64_t last_end_usec = 0;    // and ended; 0 while it runs or when it never did
    std::int32_t exit_status = 0;       // of the last run that ended
    std::optional<std::uint64_t> memory_bytes;
    std::uint64_t now_usec = 0;  // when it was seen, for "in 3h" and "5min ago"
};

struct TypeStatus {
    std::string name;
    int desired = 0;  // instances the formation asks for
    int running = 0;  // of those, active
    std::vector<InstanceStatus> instances;  // by index
    std::optional<SharedSocketStatus> shared_socket;
    std::optional<ScheduledStatus> scheduled;  // a scheduled type (no instances)
};

struct StatusView {
    std::string app;
    // The formation's types in its order, then types it no longer lists
    // that still have loaded instances.
    std::vector<TypeStatus> types;
};

// ---- building it ----

// What observe_status() read: every desired instance's and every loaded
// instance's state, the sockets asked about, and the PORT of each main
// process that could be read.
struct StatusObservation {
    std::vector<systemd::UnitState> services;
    std::vector<systemd::UnitState> sockets;  // per-instance and shared
    // Each listening TCP port's queue of connections not yet accepted.
    std::map<int, std::uint64_t> listen_queues;
    // By PID; absent when unreadable (another user's process), nullopt
    // inside when the process has no valid PORT.
    std::map<std::uint32_t, std::optional<int>> process_ports;
    // What the health watcher wrote (host/health_state.hpp).
    std::vector<host::HealthRecord> health;
};

// Pure. Loaded services that do not parse as the app's instances are left out.
StatusView build_status_view(const Formation& f, const UnitSet& set, const StatusObservation& seen,
                             std::uint64_t now_usec);

// Reads the app's units through `m` (two ListUnits, one pipelined batch of
// property reads) and /proc for the processes' PORT.
StatusObservation observe_status(const Formation& f, const UnitSet& set, systemd::Manager& m);

// ---- the rules ----

bool is_running(const InstanceStatus& i);  // active
// systemd gave up ("failed") or is about to try again after an unclean exit.
bool service_failing(const InstanceStatus& i);
bool socket_failed(const InstanceStatus& i);
// Failing: the service is, or its socket failed (the instance cannot start).
bool is_failing(const InstanceStatus& i);
// Desired but not there: never loaded (unit files missing) or stopped.
bool is_missing(const InstanceStatus& i);
bool shared_socket_failed(const TypeStatus& t);
// A scheduled type's last run failed (until a run succeeds), or its timer did.
bool scheduled_failed(const TypeStatus& t);
bool scheduled_running(const ScheduledStatus& s);  // a run is going
// The NOTE of a scheduled type's timer ("next in 4h 48min") and run ("last
// run 5min ago: success in 1.2s", "running for 12s", "failed: …").
std::string timer_note(const ScheduledStatus& s);
std::string run_note(const ScheduledStatus& s);
// Some instance fails, a shared socket failed, or a scheduled run did.
bool any_failing(const StatusView& v);
// The NOTE of a shared socket's row: "3 instances accept, 0 waiting", or
// why it failed.
std::string shared_note(const TypeStatus& t);

// The NOTE: why an instance fails, is missing or surplus, is unhealthy or
// was restarted by its health check; "" when all is well.
std::string note(const InstanceStatus& i);

// Which journal explains a failing desired instance under its row.
enum class FailureLog { none, service, socket };
FailureLog failure_log(const InstanceStatus& i);

// The installed formation observed on this host (-u: the user's manager)
// at the current time. Throws SystemdError when the manager is unreachable.
struct InstalledFormation;
StatusView local_status(bool user, const InstalledFormation& loaded);

// Under each failing instance, by unit: the last `lines` lines its
// processes logged, or, when its socket failed, what systemd said of the
// socket ("Failed to create listening socket ([::]:5000): Address already
// in use"), escaped for a terminal.
std::map<std::string, std::vector<std::string>> failure_journal(const StatusView& v, bool user, std::size_t lines);

// The HEALTH cell: "healthy", "unhealthy", "-" (not running, or nothing
// checked yet), "" for a type without health.
std::string health_word(const InstanceStatus& i);

// "web 2/3 running, 1 failed, 1 missing, 1 surplus"; "nightly scheduled
// (*-*-* 03:00:00), last run failed"
std::string summary_line(const TypeStatus& t);

// ---- JSON ----

// `status --json`: {"app":…,"types":[{"name":…,"desired":N,"running":N,
// "instances":[{"unit",…,"desired"}],"shared_socket":null or {"unit",
// "active_state","sub_state","result","port","waiting"}}]}. With `full` (what a host sends
// another), each instance also has "load_state" and "socket_result", so
// its notes can be made there as here.
std::string encode_types(const StatusView& v, bool full);  // the "types" array
std::string encode(const StatusView& v, bool full = false);

// Strict: throws json::Error naming what is wrong. Text is kept as sent
// (render it through terminal_safe). Without the full keys, load_state is
// taken as "loaded" and a socket's result as unknown; a type without
// "shared_socket" (from an older formation) as having none.
StatusView decode(std::string_view json);

}  // namespace formation::app
