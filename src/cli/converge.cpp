#include "cli/converge.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>
#include <thread>

#include "cli/app_context.hpp"
#include "cli/install.hpp"
#include "compile/compile.hpp"

namespace formation::cli {

namespace {

using systemd::JobRequest;
using systemd::JobType;

// Every path that another installed app owns must stay theirs.
void check_other_apps(const systemd::UnitDir& dir, const UnitSet& set) {
    std::set<std::string> ours;
    for (const auto& f : set.files) ours.insert(f.path);
    for (const auto& other : dir.apps()) {
        if (other == set.app) continue;
        for (const auto& path : dir.manifest(other))
            if (ours.count(path))
                throw CliError(path + " belongs to app " + other + "; app " + set.app + " cannot install it",
                               exit_failed);
    }
}

Observed observe(const systemd::UnitDir& dir, systemd::Manager& m, const UnitSet& set) {
    Observed o = observe_files(dir, set);
    std::set<std::string> types(set.types.begin(), set.types.end());
    for (const auto& t : types_in(set.app, o.owned)) types.insert(t);
    // One ListUnitsByPatterns gives every loaded instance and the target with
    // its active state: a unit it does not list is not loaded, so inactive
    // (a GetAll per unit cost ~1 ms each at 500 instances).
    std::vector<std::string> patterns = instance_patterns(set.app, {types.begin(), types.end()});
    patterns.push_back(set.app_target);
    for (const auto& s : m.list_unit_states(patterns))
        if (s.name == set.app_target || parse_instance(set.app, s.name)) o.active[s.name] = s.active_state;
    return o;
}

std::vector<JobRequest> jobs(JobType type, const std::vector<std::string>& units) {
    std::vector<JobRequest> out;
    for (const auto& u : units) out.push_back({type, u});
    return out;
}

// Units whose start job succeeded but which did not stay up.
std::vector<std::string> unsettled(systemd::Manager& m, const std::vector<std::string>& units,
                                   std::uint64_t settle_usec) {
    if (units.empty()) return {};
    std::this_thread::sleep_for(std::chrono::microseconds(settle_usec));
    std::vector<std::string> bad;
    for (const auto& s : m.unit_states(units))
        if (s.active_state == "failed" || s.sub_state == "auto-restart" || s.n_restarts > 0 ||
            s.active_state == "inactive")
            bad.push_back(s.name);
    return bad;
}

int carry_out(const Globals& g, systemd::Manager& m, const Plan& plan, const std::string& app_target,
              bool target_active, const ConvergeOptions& o) {
    std::vector<std::string> failed;
    auto collect = [&failed](const std::vector<systemd::JobOutcome>& outcomes, const char* verb) {
        report_failures(outcomes, verb);
        for (const auto& r : outcomes)
            if (!r.ok()) failed.push_back(r.unit);
    };
    if (plan.reload) m.reload();
    // Queued highest index first; they run concurrently.
    collect(m.run_jobs(jobs(JobType::stop, plan.stop)), "stop");
    if (!plan.reset_failed.empty()) m.reset_failed(plan.reset_failed);
    std::vector<JobRequest> starts = jobs(JobType::start, plan.start);
    // An active app target makes `systemctl stop APP.target` stop the app.
    if (!target_active) starts.push_back({JobType::start, app_target});
    collect(m.run_jobs(starts), "start");
    // Rolling: one instance at a time, each up before the next goes down.
    for (const auto& unit : plan.restart) collect(m.run_jobs({{JobType::restart, unit}}), "restart");

    std::vector<std::string> started = plan.start;
    started.insert(started.end(), plan.restart.begin(), plan.restart.end());
    std::erase_if(started, [&](const std::string& u) { return std::count(failed.begin(), failed.end(), u) > 0; });
    for (const auto& unit : unsettled(m, started, o.settle_usec)) {
        std::cerr << "formation: " << unit << " did not stay up\n";
        failed.push_back(unit);
    }
    for (const auto& unit : failed) std::cerr << "formation: last lines of " << unit << ":\n" << last_log_lines(unit, g.user, 10);
    return failed.empty() ? exit_ok : exit_failed;
}

}  // namespace

std::string describe_plan(const Plan& plan) {
    if (plan.empty()) return "nothing to do\n";
    std::string out = describe_changes(plan.files);
    if (plan.reload) out += "  reload systemd\n";
    for (const auto& u : plan.stop) out += "  stop    " + u + '\n';
    for (const auto& u : plan.start) out += "  start   " + u + '\n';
    for (const auto& u : plan.restart) out += "  restart " + u + '\n';
    for (const auto& u : plan.reset_failed)
        if (std::find(plan.start.begin(), plan.start.end(), u) == plan.start.end()) out += "  forget  " + u + " (failed)\n";
    return out;
}

int converge(const Globals& g, const LoadedFormation& loaded, const ConvergeOptions& o) {
    UnitSet set = compile(loaded.formation, install_options(g));
    systemd::UnitDir dir(unit_dir_path(g));
    auto lock = dir.lock(lock_timeout_sec());
    dir.remove_stale_temporaries();
    check_other_apps(dir, set);
    auto manager = systemd::connect_manager(g.user);
    Observed observed = observe(dir, *manager, set);
    Plan plan = make_plan(set, observed);
    if (!plan.conflicts.empty())
        throw CliError((dir.root() / plan.conflicts.front()).string() +
                           " exists and was not written by formation for app " + set.app + "; move it away first",
                       exit_failed);
    if (!o.quiet || o.dry_run) std::cout << (o.dry_run ? "would:\n" : "") << describe_plan(plan);
    if (o.dry_run) return exit_ok;
    // The stored copy is what -a APP works from; it is written first so an
    // interrupted apply can be finished from it.
    if (dir.stored_formation(set.app) != loaded.text || dir.stored_source_path(set.app) != loaded.formation.source_path)
        dir.store_formation(set.app, loaded.text, loaded.formation.source_path);
    install_files(dir, set, plan.files, observed.owned);
    auto target = observed.active.find(set.app_target);
    bool target_active = target != observed.active.end() && target->second == "active";
    return carry_out(g, *manager, plan, set.app_target, target_active, o);
}

}  // namespace formation::cli
