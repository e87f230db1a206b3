// One formation across hosts (formation.toml's [hosts.*]): the verbs that
// change or show an app run on each host's own formation, reached over ssh.
// No scheduler and no agent: the remote side is formation itself, run
// through `formation remote`, which checks that both ends are one version.
#pragma once

#include <optional>

#include "cli/common.hpp"

namespace formation::cli {

// When the chosen verb spans hosts (apply, scale, start, stop, restart,
// reload, destroy, status, logs) and FILE has [hosts], runs it on the hosts
// and returns the exit code; nullopt: the verb runs here as usual.
std::optional<int> run_on_hosts(CLI::App& root, const Globals& g);

// `formation remote --expect VERSION ARGS…`: what the operator's formation
// runs over ssh. Refuses (exit 2, "version mismatch") unless this formation
// is VERSION, else runs `formation ARGS…`.
int run_remote(int argc, char** argv);

}  // namespace formation::cli
