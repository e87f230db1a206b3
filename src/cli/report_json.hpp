// apply's (and scale's, rollback's) --json: one object with the plan's
// actions and, once carried out, each action's result; a failed release
// command and what apply went back to are members of the same object.
#pragma once

#include <string>

#include "app/report.hpp"

namespace formation::cli {

// The plan alone, nothing carried out: {"app","formation","dry_run":true,
// "actions":[…],"ok":null}.
std::string dry_run_json(const app::Report& r);

// After carrying it out: the actions with "result" and "reason" and "ok";
// "release" when the release command failed (then no action was carried
// out), "reverted" (the same shape) when apply went back.
std::string converged_json(const app::Report& r);

}  // namespace formation::cli
