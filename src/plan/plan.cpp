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

}  // namespace

std::vector<std::string> owned_paths(const UnitSet& set) {
    std::vector<std::string> out;
    for (const auto& f : set.files) out.push_back(f.path);
    std::sort(out.begin(), out.end());
    return out;
}

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

std::vector<std::string> types_in(const std::string& app, const std::vector<std::string>& paths) {
    std::set<std::string> types;
    const std::string prefix = app + "-", suffix = "@.service";
    for (const auto& p : paths) {
        if (p.size() <= prefix.size() + suffix.size() || p.compare(0, prefix.size(), prefix) != 0 ||
            p.compare(p.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        std::string type = p.substr(prefix.size(), p.size() - prefix.size() - suffix.size());
        if (type.find('-') == std::string::npos && type.find('/') == std::string::npos) types.insert(type);
    }
    return {types.begin(), types.end()};
}

std::vector<FileChange> plan_files(const UnitSet& desired, const Observed& observed,
                                   std::vector<std::string>* conflicts) {
    std::vector<FileChange> changes;
    std::set<std::string> owned(observed.owned.begin(), observed.owned.end());
    std::set<std::string> wanted;
    for (const auto& f : desired.files) {
        wanted.insert(f.path);
        auto it = observed.files.find(f.path);
        const std::optional<std::string>* on_disk = it == observed.files.end() ? nullptr : &it->second;
        if (!on_disk || !*on_disk) {
            changes.push_back({FileChange::Kind::create, f.path, f.content, f.symlink});
            continue;
        }
        // A file we never wrote is someone else's, even with the same bytes:
        // never overwrite it, nor adopt it (destroy would then delete it).
        if (!owned.count(f.path) && conflicts) conflicts->push_back(f.path);
        if (**on_disk != f.content) changes.push_back({FileChange::Kind::update, f.path, f.content, f.symlink});
    }
    for (const auto& path : observed.owned) {
        if (wanted.count(path)) continue;
        auto it = observed.files.find(path);
        if (it != observed.files.end() && it->second) changes.push_back({FileChange::Kind::remove, path, {}, false});
    }
    return changes;
}

Plan make_plan(const UnitSet& desired, const Observed& observed) {
    Plan plan;
    plan.files = plan_files(desired, observed, &plan.conflicts);
    plan.reload = !plan.files.empty();

    std::set<std::string> changed;
    for (const auto& c : plan.files) changed.insert(c.path);

    std::set<std::string> wanted;
    for (const auto& inst : desired.instances) {
        wanted.insert(inst.unit);
        const std::string* state = state_of(observed, inst.unit);
        if (!state || !is_running(*state)) {
            if (state && *state == "failed") plan.reset_failed.push_back(inst.unit);
            plan.start.push_back(inst.unit);
            continue;
        }
        bool config_changed = std::any_of(inst.files.begin(), inst.files.end(),
                                          [&](const std::string& p) { return changed.count(p) > 0; });
        if (config_changed) plan.restart.push_back(inst.unit);
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
            // and failed after its files are gone, and no later verb sees it.
            plan.reset_failed.push_back(unit);
    }
    std::sort(surplus.begin(), surplus.end(), [](const InstanceRef& a, const InstanceRef& b) {
        return a.index != b.index ? a.index > b.index : a.type < b.type;
    });
    for (const auto& s : surplus) plan.stop.push_back(s.unit);
    return plan;
}

}  // namespace formation
