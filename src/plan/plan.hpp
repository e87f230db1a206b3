// (what runs now, the formation it was converged to, the new formation) →
// Plan. Pure: the caller observes systemd and carries the plan out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compile/unit_name.hpp"
#include "compile/unit_set.hpp"

namespace formation {

struct Observed {
    // active_state of every loaded unit of the app: each instance of any
    // type (listed in the formation or not), each instance's socket and the
    // app target.
    std::map<std::string, std::string> active;
    // The loaded units are not those of the installed file (it changed
    // since the last daemon-reload, or the app's target is not loaded).
    bool needs_reload = false;
};

// One step of a rolling restart. A service restart leaves its socket alone
// (systemd keeps listening, connections wait in its queue); when the
// socket's own listen settings change, or the instance gains or loses its
// socket, the step is: stop the service, stop its old socket, start the
// service (which starts the new socket).
struct Restart {
    std::string unit;
    bool cycle_socket = false;
    std::string old_socket;  // the running socket to stop in a cycle; empty: none runs
    std::uint64_t min_ready_usec = 0;
    std::string socket;      // its socket in the new configuration; empty: none
    unsigned batch = 1;      // its type's default batch (Instance::batch)
    bool operator==(const Restart&) const = default;
};

struct SharedMove {
    std::string socket;  // "shop-web.socket"
    std::string holder;  // "shop-web-socket.service"
    bool operator==(const SharedMove&) const = default;
};

struct Plan {
    bool install = false;                // publish the new formation file
    bool reload = false;                 // daemon-reload (runs the generator)
    // Timers stopped alone, before any other stop: one that elapsed during
    // the stop batch would start its run again, and with it the app's
    // slice (cancelling the slice's stop).
    std::vector<std::string> stop_timers;
    std::vector<std::string> stop;       // instances going away, highest index first
    // Sockets stopped with the stops, queued after them: systemd stops each
    // after its service (After=), so a draining service keeps its queue and
    // nothing re-activates it. Also sockets whose instance no longer has one.
    std::vector<std::string> stop_sockets;
    std::vector<std::string> start;      // desired instances not running
    // The sockets of the instances in `start` that have one: a start pulls
    // its socket in (Requires=), so it counts against the socket's start
    // limit too.
    std::vector<std::string> start_sockets;
    // Shared sockets (socket = "shared") to move, after the reload and before
    // any start or restart: their listen settings changed, or they failed.
    // Each: its holder stopped, then the socket restarted alone (its
    // instances keep serving the old listener until the roll restarts them
    // onto the new one).
    std::vector<SharedMove> move_shared;
    std::vector<Restart> restart;        // running instances whose configuration changed
    // Failed units no longer desired, instances and sockets: forgotten, so
    // no failed unit of the app outlives its formation. (A desired one is
    // reset by deploy just before its start, with every unit it starts.)
    std::vector<std::string> reset_failed;
    bool start_target = false;           // the app target is not active
    // Stopped last in the stop batch, after the sockets: the app target
    // (stop of the whole app) and its slice (destroy: a slice stays active
    // after its last unit stops).
    std::vector<std::string> stop_last;
    bool uninstall = false;              // remove the installed formation (destroy), after the stops
    // Reload jobs (ExecReload=: the type's reload_signal) for running
    // instances; nothing restarts, each process keeps its PID.
    std::vector<std::string> reload_instances;

    bool empty() const {
        return !install && !reload && stop_timers.empty() && stop.empty() && stop_sockets.empty() && start.empty() && restart.empty() &&
               move_shared.empty() && reset_failed.empty() && !start_target &&
               stop_last.empty() && !uninstall && reload_instances.empty();
    }
};

// A unit in this ActiveState has processes or is getting them: active,
// activating (starting, or a oneshot's run going) or reloading.
bool is_running_state(const std::string& active_state);

// `converged`: the units the running instances were started from (the
// formation last applied), or nullptr when unknown; then every running
// desired instance restarts, since nothing says what it runs.
Plan make_plan(const UnitSet* converged, const UnitSet& desired, const Observed& observed, bool install);

// "  stop    shop-web@3.service" lines, as apply prints them.
std::string describe_plan(const Plan& plan, const std::string& installed_path);

// The unit names a plan speaks of (parse_instance, parse_socket, socket_of,
// the globs) come from compile/unit_name.hpp.

}  // namespace formation
