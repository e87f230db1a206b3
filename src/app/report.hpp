// What a mutating verb did, typed: the plan it carried out, each job's
// failure with what explains it (read when it happened), and what it acted
// on. cli/ renders it; the exit code is ok() ? 0 : 1.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/release.hpp"
#include "deploy/execute.hpp"
#include "host/releases.hpp"
#include "plan/plan.hpp"
#include "systemd/config_warnings.hpp"

namespace formation::app {

// One failure, with what explains it.
struct FailureNote {
    deploy::Failure failure;
    // An instance of the app: its type and index, and its last journal lines.
    std::optional<InstanceRef> instance;
    std::string log_tail;
    // A socket that could not listen: the port the formation gives it (0:
    // none known), who holds that port now, another app that claims it, and
    // what systemd logged about the socket.
    int port = 0;
    std::string holder;
    std::optional<PortClaim> claimant;
    std::string systemd_said;
};

// apply's roll failed and it went back to the previous formation.
struct Revert {
    std::string installed_path;  // the previous formation, installed again
    Plan plan;                   // what rolled back
    deploy::Report jobs;
    std::vector<FailureNote> notes;  // one per jobs.failures
};

struct Report {
    std::string app;
    Plan plan;                   // what was (or, dry run, would be) carried out
    bool dry_run = false;
    std::string installed_path;  // apply, scale
    std::string app_target;
    deploy::Report jobs;
    std::vector<FailureNote> notes;  // one per jobs.failures, in order
    std::vector<std::string> units;  // the instances start/stop/restart acted on, in order
    std::vector<std::string> reload_signals;  // reload: the signal of each of jobs.reloaded
    std::vector<systemd::ConfigWarning> config_warnings;  // settings systemd ignored
    std::vector<std::filesystem::path> other_copies;      // destroy: copies that bring the app back
    // apply: the roll failed and the previous formation was installed and
    // rolled back to (ok() stays false: the release did not go out).
    std::optional<Revert> reverted;
    // apply: why a failed roll was not reverted ("--no-revert", "no previous
    // formation"); empty when it was, or nothing failed.
    std::string not_reverted;
    // The release phase, when it ran: failed, nothing was installed or
    // restarted (plan is what would have been carried out).
    std::optional<ReleaseReport> release;
    // apply, rollback: the release this run recorded (nullopt: the same
    // formation as the last one, or none asked for).
    std::optional<host::Release> recorded;
    bool ok() const { return jobs.ok() && (!release || release->ok); }
};

}  // namespace formation::app
