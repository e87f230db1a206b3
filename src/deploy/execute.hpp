// Carrying out a Plan on one host through a Manager it is given. Makes the
// calls in order and returns a report: it prints nothing, reads no journal
// and sleeps only on the clock it is given, so a fake Manager tests it.
//
// Order: wait for jobs a killed run left behind (done by the caller with
// wait_idle), stop what goes away while its units still exist (the app
// target and slice last), forget failed surplus, install (or uninstall)
// the formation, reload (the generator makes the units), start, check that
// what started stays up, rolling restart, reload jobs.
// A stopped instance's socket is stopped in the same batch, queued after
// its service: systemd stops the socket once the service has drained.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "plan/plan.hpp"
#include "systemd/manager.hpp"

namespace formation::deploy {

struct Options {
    std::function<void(std::uint64_t usec)> sleep;  // required
    // Monotonic µs: a hold ends min_ready after it began, its polls
    // included; empty: it counts only the time slept.
    std::function<std::uint64_t()> clock;
    std::function<void()> install;                  // publishes the formation (plan.install)
    std::function<void()> uninstall;                // removes the formation (plan.uninstall)
    // How long started instances must stay up to count as started (catches
    // commands that exit at once); 0: no check.
    // A restarted instance is held up for at least this long too (and for
    // its min_ready), looked at every poll_usec.
    std::uint64_t settle_usec = 500000;
    std::uint64_t poll_usec = 250000;
    std::uint64_t job_timeout_usec = 0;  // bound on each wait for jobs; 0: none
    // Instances restarted at a time; 0: each type's own batch (Restart::batch).
    unsigned parallel = 0;
    std::function<void(const std::string& what)> progress;  // optional
};

struct Failure {
    std::string unit;
    std::string action;  // "stop", "start", "restart"
    std::string reason;  // explained job or service result
    // The instance's socket, when the start failed because it did (its
    // port taken, say): what systemd logged about it explains the rest.
    std::string failed_socket;
};

struct Report {
    std::vector<Failure> failures;
    std::vector<std::string> not_restarted;  // a failed roll left these on the old configuration
    // plan.reload_instances' outcomes, in order; a failed one is also a
    // failure ("reload", with systemd's job result as it is).
    std::vector<systemd::JobOutcome> reloaded;
    bool ok() const { return failures.empty(); }
};

Report execute(const Plan& plan, const std::string& app_target, systemd::Manager& m, const Options& o);

// Restarts `steps`, `o.parallel` at a time (0: consecutive steps of one
// type, its Restart::batch at a time). A batch counts when its jobs
// are done (systemd says the instances are ready: started, notified, or
// listening, by their `ready`) and they then stay up, same main process, no
// automatic restart, for their min_ready (at least settle_usec); only then
// does the next batch go down. The first batch that fails stops the roll
// and the rest stay on the old configuration.
Report rolling_restart(const std::vector<Restart>& steps, systemd::Manager& m, const Options& o);

// Queues jobs and waits for them (Manager::run_jobs), first resetting the
// start counter of every unit they start: the unit of each start and
// restart job, and `sockets`, those the started services pull in
// (Requires=). systemd's start limit (StartLimitBurst= starts within
// StartLimitIntervalSec=, 5 in 10 s by default) counts an operator's starts
// as well as automatic restarts, so without the reset a fifth quick
// `restart` would leave a healthy instance failed (start-limit-hit).
// ResetFailedUnit resets the counter, as `systemctl reset-failed` does; a
// process that crashes by itself is restarted by systemd, not through here,
// and still hits the limit. Every start and restart goes through here.
std::vector<systemd::JobOutcome> run_jobs(systemd::Manager& m, const std::vector<systemd::JobRequest>& jobs,
                                          const std::vector<std::string>& sockets, std::uint64_t timeout_usec);

// Failures of `outcomes` (done, skipped: none) for `action`. A start or
// restart that failed because its socket did (job result "dependency")
// says so, with the socket's result, and names it in failed_socket.
std::vector<Failure> failures_of(const std::vector<systemd::JobOutcome>& outcomes, const char* action,
                                 const std::vector<std::string>& sockets, systemd::Manager& m);

// Waits until no unit matching `patterns` has a queued job; false when some
// still have one after `timeout_usec`.
bool wait_idle(systemd::Manager& m, const std::vector<std::string>& patterns, std::uint64_t timeout_usec,
               const std::function<void(std::uint64_t)>& sleep);

}  // namespace formation::deploy
