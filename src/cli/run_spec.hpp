// What `formation run TYPE -- COMMAND…` asks systemd for: a transient
// service with the [Service] settings of the type's template unit, as the
// generator compiles it, less what makes a long-running instance (ExecStart,
// Restart, timeouts, kill and logging settings). Pure: the caller adds the
// terminal or descriptors and starts it.
#pragma once

#include <string>
#include <vector>

#include "compile/compile.hpp"
#include "formation/model.hpp"
#include "systemd/manager.hpp"

namespace formation::cli {

struct RunSpec {
    systemd::TransientSpec spec;
    // Escape-hatch lines a transient unit cannot carry, left out: "Key=value".
    std::vector<std::string> skipped_raw;
};

// `suffix` makes the unit name unique: APP-TYPE-run-SUFFIX.service, which
// no instance pattern (APP-TYPE@N.service) matches. `term`: the caller's
// $TERM, passed when the command gets a terminal (empty: none). Throws
// std::logic_error when the compiled template holds a setting that cannot
// be carried (a bug: every setting formation compiles must be known).
RunSpec make_run_spec(const Formation& f, const ProcessType& p, const CompileOptions& options,
                      const std::vector<std::string>& command, const std::string& suffix, const std::string& term);

}  // namespace formation::cli
