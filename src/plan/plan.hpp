// (what runs now, the formation it was converged to, the new formation) →
// Plan. Pure: the caller observes systemd and carries the plan out.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compile/unit_set.hpp"

namespace formation {

struct Observed {
    // active_state of every loaded unit of the app: each instance of any
    // type (listed in the formation or not) and the app target.
    std::map<std::string, std::string> active;
    // The loaded units are not those of the installed file (it changed
    // since the last daemon-reload, or the app's target is not loaded).
    bool needs_reload = false;
};

struct Plan {
    bool install = false;                // publish the new formation file
    bool reload = false;                 // daemon-reload (runs the generator)
    std::vector<std::string> stop;       // instances going away, highest index first
    std::vector<std::string> start;      // desired instances not running
    std::vector<std::string> restart;    // running instances whose service configuration changed
    // Failed instances: desired ones (also in start) and surplus ones
    // (forgotten, so no failed unit of the app outlives its formation).
    std::vector<std::string> reset_failed;
    bool start_target = false;           // the app target is not active

    bool empty() const {
        return !install && !reload && stop.empty() && start.empty() && restart.empty() && reset_failed.empty() &&
               !start_target;
    }
};

// `converged`: the units the running instances were started from (the
// formation last applied), or nullptr when unknown; then every running
// desired instance restarts, since nothing says what it runs.
Plan make_plan(const UnitSet* converged, const UnitSet& desired, const Observed& observed, bool install);

// "  stop    shop-web@3.service" lines, as apply prints them.
std::string describe_plan(const Plan& plan, const std::string& installed_path);

// Instance units "APP-TYPE@N.service" of the given app; type names have no
// dash, so another app's unit never parses as this app's.
struct InstanceRef {
    std::string unit;
    std::string type;
    int index = 0;
};
std::optional<InstanceRef> parse_instance(const std::string& app, const std::string& unit);

// Globs that find every loaded unit of an app: its instances of any type and its target.
std::vector<std::string> app_unit_patterns(const std::string& app);

}  // namespace formation
