#include "plan/plan.hpp"

#include <algorithm>
#include <set>

namespace formation {

namespace {

bool is_running(const std::string& active_state) {
    return active_state == "active" || active_state == "activating" || active_state == "reloading";
}

const std::string* state_of(const Observed& o, const std::string& unit) {
    auto it = o.active.find(unit);
    return it == o.active.end() ? nullptr : &it->second;
}

const Instance* find_instance(const UnitSet* set, const std::string& unit) {
    if (!set) return nullptr;
    for (const auto& i : set->instances)
        if (i.unit == unit) return &i;
    return nullptr;
}

}  // namespace

std::optional<InstanceRef> parse_instance(const std::string& app, const std::string& unit) {
    const std::string suffix = ".service";
    if (unit.size() <= app.size() + 1 + suffix.size() || unit.compare(0, app.size(), app) != 0 ||
        unit[app.size()] != '-' || unit.compare(unit.size() - suffix.size(), suffix.size(), suffix) != 0)
        return std::nullopt;
    std::string rest = unit.substr(app.size() + 1, unit.size() - app.size() - 1 - suffix.size());
    auto at = rest.find('@');
    if (at == std::string::npos || at == 0 || rest.find('-') < at) return std::nullopt;
    std::string index = rest.substr(at + 1);
    if (index.empty() || index.size() > 6 || index[0] == '0' ||
        !std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return InstanceRef{unit, rest.substr(0, at), std::stoi(index)};
}

std::vector<std::string> app_unit_patterns(const std::string& app) {
    return {app + "-*@*.service", app + ".target"};
}

Plan make_plan(const UnitSet* converged, const UnitSet& desired, const Observed& observed, bool install) {
    Plan plan;
    plan.install = install;
    plan.reload = install || observed.needs_reload;

    std::set<std::string> wanted;
    for (const auto& inst : desired.instances) {
        wanted.insert(inst.unit);
        const std::string* state = state_of(observed, inst.unit);
        if (!state || !is_running(*state)) {
            if (state && *state == "failed") plan.reset_failed.push_back(inst.unit);
            plan.start.push_back(inst.unit);
            continue;
        }
        const Instance* before = find_instance(converged, inst.unit);
        if (!before || before->config != inst.config) plan.restart.push_back(inst.unit);
    }

    std::vector<InstanceRef> surplus;
    for (const auto& [unit, state] : observed.active) {
        if (wanted.count(unit)) continue;
        auto ref = parse_instance(desired.app, unit);
        if (!ref) continue;
        if (is_running(state))
            surplus.push_back(*ref);
        else if (state == "failed")
            // Nothing stops a failed unit: without a reset it stays loaded
            // and failed after its formation is gone, and no verb sees it.
            plan.reset_failed.push_back(unit);
    }
    std::sort(surplus.begin(), surplus.end(), [](const InstanceRef& a, const InstanceRef& b) {
        return a.index != b.index ? a.index > b.index : a.type < b.type;
    });
    for (const auto& s : surplus) plan.stop.push_back(s.unit);

    const std::string* target = state_of(observed, desired.app_target);
    plan.start_target = !target || *target != "active";
    return plan;
}

std::string describe_plan(const Plan& plan, const std::string& installed_path) {
    if (plan.empty()) return "nothing to do\n";
    std::string out;
    for (const auto& u : plan.stop) out += "  stop    " + u + '\n';
    if (plan.install) out += "  install " + installed_path + '\n';
    if (plan.reload) out += "  reload  systemd (the generator makes the units)\n";
    for (const auto& u : plan.start) out += "  start   " + u + '\n';
    for (const auto& u : plan.restart) out += "  restart " + u + '\n';
    for (const auto& u : plan.reset_failed)
        if (std::find(plan.start.begin(), plan.start.end(), u) == plan.start.end()) out += "  forget  " + u + " (failed)\n";
    if (plan.start_target && plan.start.empty() && plan.restart.empty() && plan.stop.empty() && !plan.install)
        out += "  start   the app target\n";
    return out;
}

}  // namespace formation
