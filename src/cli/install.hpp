// Carrying out the file part of a plan in a unit directory.
#pragma once

#include <string>
#include <vector>

#include "compile/unit_set.hpp"
#include "plan/plan.hpp"
#include "systemd/unit_dir.hpp"

namespace formation::cli {

// The app's manifest and the on-disk content of every path it owns or wants.
Observed observe_files(const systemd::UnitDir& dir, const UnitSet& desired);

// Writes/removes as planned. Crash-safe: the manifest first grows to cover
// every path about to be written, and shrinks only once they are removed, so
// an interrupted run leaves each file old or new and owned; the next run converges.
void install_files(const systemd::UnitDir& dir, const UnitSet& desired, const std::vector<FileChange>& changes,
                   const std::vector<std::string>& old_manifest);

// "create  shop-web@.service" lines for printing.
std::string describe_changes(const std::vector<FileChange>& changes);

}  // namespace formation::cli
