// Every verb that changes one app on this host: each is planned (a Plan),
// carried out by deploy::execute over the Manager the Env gives, and
// answered with a typed Report. Under the app's lock; the bound on its job
// waits is the app's job_timeout_usec(), or unknown_job_timeout_usec for a
// destroy no formation describes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/count_changes.hpp"
#include "app/env.hpp"
#include "app/report.hpp"

namespace formation::app {

// start, stop and restart share one shape, as systemctl's verb_start does.
enum class Action { start, stop, restart };

// start: the desired instances of `types` (all: and the app target), their
// start counters reset first (deploy::run_jobs). stop: every loaded
// instance of `types` (any type when none is named, listed in the
// formation or not), then their sockets, then the app target when no type
// is named. restart: a rolling restart, `parallel` at a time, after the
// formation's release command when `release` (and it has one).
Report act(Env& env, Action action, const std::string& app, const std::vector<std::string>& types,
           unsigned parallel = 0, bool release = false);

// A reload job for each running instance of `types`, or of every type that
// has a reload_signal. Report::plan.reload_instances empty: none runs.
Report reload(Env& env, const std::string& app, const std::vector<std::string>& types);

// Stops every instance of the app and its sockets, target and slice,
// forgets them, removes the installed formation and reloads.
Report destroy(Env& env, const std::string& app);

struct ConvergeOptions {
    bool dry_run = false;
    std::uint64_t settle_usec = 500000;
    unsigned parallel = 0;  // 0: each type's own batch
    // apply: when the roll fails, install the previous formation again and
    // roll back what changed (Report::reverted).
    bool revert = false;
    // apply: run the formation's release command first, when the plan
    // starts or restarts an instance (--no-release: false).
    bool release = false;
    // apply, rollback: record the formation as a new release when it
    // differs from the last one recorded (host/releases.hpp), saying who.
    bool record = false;
    std::string who;
    std::string summary_prefix;  // rollback: "rollback to 2"
};

// `desired` gets the installed formation (nullopt when none) and returns
// the new one, validated; it runs under the lock, so concurrent scales of
// one app each see the other's result.
using DesiredFormation = std::function<LoadedFormation(const std::optional<host::InstalledFile>& installed)>;

// apply and scale: bring the app to the desired formation. `planned` is
// shown the plan before it is carried out (and alone, on a dry run).
Report converge(Env& env, const std::string& app, const DesiredFormation& desired, const ConvergeOptions& o,
                const std::function<void(const Report&)>& planned);

// rollback [N]: apply release N again (default: the one before the last),
// with apply's rules for health and revert but without the release
// command; recorded as a new release.
Report rollback(Env& env, const std::string& app, std::optional<unsigned> n, ConvergeOptions o,
                const std::function<void(const Report&)>& planned);

// scale: the installed formation with `changes` applied to its count lines
// (TYPE=+N counts from there, under the lock, so concurrent `scale web=+1`
// both land), converged; `counts` gets the absolute counts it made.
Report scale(Env& env, const std::string& app, const std::vector<CountChange>& changes,
             std::vector<std::pair<std::string, int>>& counts, const std::function<void(const Report&)>& planned);

// The app's units as systemd has them: states, whether the installed file
// changed since the last reload; refuses (Error, exit 1) a unit name
// already taken by a unit formation did not generate, or masked.
Observed observe(systemd::Manager& m, const UnitSet& set, const host::Paths& paths, bool user);

// Refuses (InvalidFormation, at the port's line) a formation whose
// instances would share a TCP port with another installed app's where
// either side has socket = true; warns (through env.say) when two apps
// give the same port to plain processes.
void check_ports(const Env& env, const LoadedFormation& next, const UnitSet& set);

// What explains each failure of `jobs`: an instance's last journal lines,
// or for a socket that could not listen, its port (as `f` gives it), who
// holds it and what systemd logged since `since_usec`.
std::vector<FailureNote> explain(Env& env, const deploy::Report& jobs, const std::string& app, const Formation* f,
                                 std::uint64_t since_usec);

}  // namespace formation::app
