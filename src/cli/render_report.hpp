// How a mutating verb's app::Report reads: failures with what explains them
// on stderr, what was done on stdout (unless -q), apply's plan as lines or
// JSON. The exit code: 0 when every job succeeded, else 1.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/report.hpp"
#include "cli/common.hpp"

namespace formation::cli {

// Job failures with the process's last journal lines (or, for a socket that
// could not listen, its port, holder and systemd's lines), and what a
// stopped roll left on the old configuration.
void print_failures(const app::Report& r);

// apply and scale: the plan before it is carried out ("would:" on a dry
// run), as lines or (--json, dry run) JSON.
void print_plan(const app::Report& r, const Globals& g, bool json);
// apply and scale once carried out: failures, settings systemd ignored, and with --json the plan with results.
int print_converged(const app::Report& r, bool json);

// start, stop, restart: failures, then "started 3 instances of shop" or each "restarted UNIT".
// "count = 3 under [process.web], count = 1 under [process.worker]": the
// count lines to set by hand when FILE could not follow a scale.
std::string count_lines(const std::vector<std::pair<std::string, int>>& counts);

int print_act(const app::Report& r, const Globals& g, const char* done);

}  // namespace formation::cli
