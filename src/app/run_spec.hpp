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

namespace formation::app {

// An escape-hatch line left out of the one-off unit, and why.
struct SkippedLine {
    std::string line;  // "Key=value", as in the template
    std::string why;   // "Environment=: specifier %H cannot be given to a one-off unit"
};

struct RunSpec {
    systemd::TransientSpec spec;
    // Escape-hatch lines a transient unit cannot carry (a key it does not
    // take, or a value it cannot decode: a specifier other than %i and %%,
    // a name formation does not know), left out with a warning as
    // formation(1) says, never a reason to refuse the run.
    std::vector<SkippedLine> skipped_raw;
};

// `suffix` makes the unit name unique: APP-TYPE-run-SUFFIX.service, which
// no instance pattern (APP-TYPE@N.service) matches. `term`: the caller's
// $TERM, passed when the command gets a terminal (empty: none). Throws
// std::logic_error when a setting formation compiles itself cannot be
// carried (a bug: every one must be known and decodable).
RunSpec make_run_spec(const Formation& f, const ProcessType& p, const CompileOptions& options,
                      const std::vector<std::string>& command, const std::string& suffix, const std::string& term);

}  // namespace formation::app
