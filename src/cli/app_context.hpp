// What the verbs that talk to systemd share: which unit directory, which
// formation (-f FILE, or the copy stored at apply time for -a APP), and the
// connection to the manager.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "compile/compile.hpp"
#include "compile/unit_set.hpp"
#include "systemd/manager.hpp"
#include "systemd/unit_dir.hpp"

namespace formation::cli {

std::filesystem::path unit_dir_path(const Globals& g);

// -a APP: the formation as last applied; otherwise the file of -f (default
// ./formation.toml). Throws CliError when neither is there.
LoadedFormation resolve_formation(const Globals& g, const std::string& app);

// The compile options for units installed on this machine.
CompileOptions install_options(const Globals& g);

// Globs for the loaded instances of the app's types ("shop-web@*.service").
std::vector<std::string> instance_patterns(const std::string& app, const std::vector<std::string>& types);

// The app's instances as systemd knows them: every loaded unit
// APP-TYPE@N.service for the given types, whether desired or not.
std::vector<std::string> loaded_instances(systemd::Manager& m, const std::string& app,
                                          const std::vector<std::string>& types);

// Prints "  start shop-web@1.service: failed (exit-code)" lines for failed
// outcomes to stderr; returns how many failed.
int report_failures(const std::vector<systemd::JobOutcome>& outcomes, const char* verb);

// The last `lines` lines the unit's processes logged, indented, for error reports.
std::string last_log_lines(const std::string& unit, bool user, std::size_t lines);

// Process types named on the command line, checked against the formation.
std::vector<std::string> select_types(const Formation& f, const std::vector<std::string>& names);

// The desired instances of the named types (all when none are named), as
// installed: from the stored formation when the app is installed, so that
// start/restart act on the units on disk, not on unapplied edits of FILE.
struct Selection {
    std::string app_target;
    std::vector<std::string> units;
};
Selection select_instances(const Globals& g, const std::string& app, const std::vector<std::string>& types);

}  // namespace formation::cli
