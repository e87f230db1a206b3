// Desired (a UnitSet) × observed (files on disk, units in systemd) → Plan.
// Pure: the caller gathers Observed and carries the Plan out.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compile/unit_set.hpp"

namespace formation {

struct FileChange {
    enum class Kind { create, update, remove };
    Kind kind;
    std::string path;
    std::string content;  // new content (create/update)
    bool symlink = false;
};

struct Observed {
    std::vector<std::string> owned;  // the app's manifest
    // Content on disk of every path desired or owned; nullopt: absent.
    // A symlink reads as its target.
    std::map<std::string, std::optional<std::string>> files;
    // active_state of every loaded unit that is an instance of one of the
    // app's templates (old or new), plus the desired instances.
    std::map<std::string, std::string> active;
};

struct Plan {
    std::vector<FileChange> files;       // in path order, removals last
    std::vector<std::string> conflicts;  // paths we would write that another owner has
    bool reload = false;                 // any file changed
    std::vector<std::string> stop;       // surplus instances, highest index first
    std::vector<std::string> start;      // desired instances not running
    std::vector<std::string> restart;    // running instances whose configuration changed
    // Instances in "failed": desired ones (then also in start) and surplus
    // ones (forgotten, so no failed unit of the app outlives its files).
    std::vector<std::string> reset_failed;

    bool empty() const {
        return files.empty() && stop.empty() && start.empty() && restart.empty() && reset_failed.empty();
    }
};

// Files only: what `generate` needs.
std::vector<FileChange> plan_files(const UnitSet& desired, const Observed& observed,
                                   std::vector<std::string>* conflicts);

Plan make_plan(const UnitSet& desired, const Observed& observed);

// Every path a set owns, sorted (the new manifest).
std::vector<std::string> owned_paths(const UnitSet& set);

// Instance units "APP-TYPE@N.service" of the given app found in `units`,
// for the given types; their index parsed. Unit names of other apps never
// match because type names have no dash.
struct InstanceRef {
    std::string unit;
    std::string type;
    int index = 0;
};
std::optional<InstanceRef> parse_instance(const std::string& app, const std::string& unit);

// Process types whose templates a list of owned paths contains.
std::vector<std::string> types_in(const std::string& app, const std::vector<std::string>& paths);

}  // namespace formation
