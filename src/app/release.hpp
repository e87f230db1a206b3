// The release phase (formation.toml's `release`, e.g. migrations): one
// one-off run of the command in the app's context, as `formation run`
// runs one (a transient service with the settings of the app level and
// [defaults]), before any instance stops. Its output comes back through a
// pipe, each line said prefixed "release | "; release_timeout bounds it
// (RuntimeMaxSec=).
#pragma once

#include <string>
#include <vector>

#include "app/env.hpp"
#include "compile/compile.hpp"
#include "formation/model.hpp"
#include "plan/plan.hpp"

namespace formation::app {

struct ReleaseReport {
    std::string unit;                     // the transient unit it ran as
    bool ok = false;
    std::string why;                      // when not ok: "exited with status 3", "timed out after 10min"
    std::vector<std::string> last_lines;  // its last 10 lines, terminal-safe
};

// Runs f.release (which must be set) through env.one_off.
ReleaseReport run_release(Env& env, const Formation& f, const CompileOptions& options);

// Whether a plan starts or restarts an instance: what a release phase runs before.
bool starts_instances(const Plan& plan, const std::string& app);

}  // namespace formation::app
