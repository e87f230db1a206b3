// The plans of the verbs that act on an installed app without changing its
// formation: pure, from what systemd has loaded and the app's units.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compile/unit_set.hpp"
#include "formation/model.hpp"
#include "plan/plan.hpp"
#include "systemd/manager.hpp"

namespace formation::app {

// The loaded instances of the named types (any type when none is named).
std::vector<std::string> instances_to_stop(const std::vector<std::string>& loaded, const std::string& app,
                                           const std::vector<std::string>& types);

// The running timers and scheduled runs of the named types (any type when
// none is named), timers first.
std::vector<std::string> scheduled_to_stop(const std::vector<systemd::UnitState>& loaded, const std::string& app,
                                           const std::vector<std::string>& types);

// `restart TYPE` of a scheduled type: Error (exit 2) saying `start` runs it.
void refuse_scheduled_restart(const Formation& f, const std::vector<std::string>& types);

// How long `start TYPE` waits for its jobs: a named scheduled type's run
// is a oneshot whose start job lasts as long as the run (its timeout, or
// for ever without one).
std::uint64_t run_timeout_usec(const Formation& f, const std::vector<std::string>& types);

// Stop `units`, then their loaded sockets (a stopped instance's socket
// would start it again at the next connection; queued after their
// services, systemd stops each once its service has drained), then with
// `whole_app` the app target.
Plan plan_stop(const std::vector<std::string>& units, const std::vector<systemd::UnitState>& sockets,
               const std::string& app, bool whole_app);

// Start `units` (desired instances of `set`) and with `whole_app` the app
// target; their sockets are pulled in (Requires=), so their start counters
// are reset with the instances'. The health sockets of those in `idle`
// (loaded, not running) are stopped first, so they start afresh
// (Instance::fresh_socket).
Plan plan_start(const UnitSet& set, const std::vector<std::string>& units, bool whole_app,
                const std::set<std::string>& idle = {});

// A rolling restart of `units`: each with its type's min_ready; its socket stays up.
Plan plan_restart(const UnitSet& set, const std::vector<std::string>& units);

// type → reload_signal of the types to reload: the named ones, each of
// which must have one (Error, exit 2); else every type that has one (none:
// Error, exit 2).
std::map<std::string, std::string> reload_signals(const Formation& f, const std::vector<std::string>& names);

// Everything of the app goes: instances, sockets, then target and slice (a
// slice stays active after its last unit stops); each is forgotten (a
// failed unit stays loaded until reset), the formation is removed, and
// systemd reloads, so its units are gone.
Plan plan_destroy(const std::vector<std::string>& units, const std::vector<std::string>& sockets,
                  const std::string& app);

// After a failed apply: back to `previous` (the formation the instances
// were converged to), undoing exactly what the forward run changed. The
// instances `not_restarted` (the roll stopped before them) still run the
// previous release and stay as they are; those it restarted or started,
// failed ones included, go back; those it stopped start again.
// `now`: what runs after the forward run; `next`: the failed formation.
Plan plan_revert(const UnitSet& next, const UnitSet& previous, const Observed& now,
                 const std::vector<std::string>& not_restarted);

}  // namespace formation::app
