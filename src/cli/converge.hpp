// Bringing one app on this machine to what its formation says: the plan
// (pure, from plan/) carried out with the unit directory and the manager.
// Shared by `apply` and `scale`.
#pragma once

#include <cstdint>
#include <string>

#include "cli/common.hpp"
#include "plan/plan.hpp"

namespace formation::cli {

struct ConvergeOptions {
    bool dry_run = false;
    // After starting or restarting, how long instances must stay up before
    // they count as started (catches commands that exit at once).
    std::uint64_t settle_usec = 500000;
    bool quiet = false;
};

// Plans and (unless dry_run) carries out. Returns the exit code: 0 when every
// desired instance runs, 1 when some failed (reported with their journal lines).
int converge(const Globals& g, const LoadedFormation& loaded, const ConvergeOptions& options);

// The plan, as printed by `apply` (and `apply --dry-run`).
std::string describe_plan(const Plan& plan);

}  // namespace formation::cli
