#include "app/plans.hpp"

#include <algorithm>

#include "app/context.hpp"
#include "compile/compile.hpp"

namespace formation::app {

namespace {

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

std::vector<std::string> instances_to_stop(const std::vector<std::string>& loaded, const std::string& app,
                                           const std::vector<std::string>& types) {
    std::vector<std::string> out;
    for (const auto& unit : loaded) {
        auto ref = parse_instance(app, unit);
        if (ref && (types.empty() || has(types, ref->type))) out.push_back(unit);
    }
    return out;
}

std::vector<std::string> scheduled_to_stop(const std::vector<systemd::UnitState>& loaded, const std::string& app,
                                           const std::vector<std::string>& types) {
    std::vector<std::string> timers, runs;
    for (const auto& s : loaded) {
        if (!is_running_state(s.active_state)) continue;
        auto timer = parse_timer(app, s.name);
        auto run = parse_scheduled(app, s.name);
        if (timer && (types.empty() || has(types, *timer))) timers.push_back(s.name);
        if (run && (types.empty() || has(types, *run))) runs.push_back(s.name);
    }
    // The timers first (Plan::stop_timers): they must not start a run again.
    timers.insert(timers.end(), runs.begin(), runs.end());
    return timers;
}

void refuse_scheduled_restart(const Formation& f, const std::vector<std::string>& types) {
    for (const auto& name : types)
        for (const auto& p : f.processes)
            if (p.name == name && p.schedule)
                throw Error("process type " + name + " of app " + f.app + " is scheduled (" + p.schedule->written +
                                "): it has no instances to restart; `formation start " + name + "` runs it now",
                            exit_usage);
}

std::uint64_t run_timeout_usec(const Formation& f, const std::vector<std::string>& types) {
    std::uint64_t worst = job_timeout_usec(f);
    for (const auto& p : f.processes) {
        if (!p.schedule || std::find(types.begin(), types.end(), p.name) == types.end()) continue;
        // No timeout: as long as the run takes (Ctrl-C leaves it running).
        if (!p.schedule->timeout_usec) return UINT64_MAX / 2;
        worst = std::max(worst, *p.schedule->timeout_usec + p.stop_timeout_usec + 60 * usec_per_sec);
    }
    return worst;
}

Plan plan_stop(const std::vector<std::string>& units, const std::vector<systemd::UnitState>& sockets,
               const std::string& app, bool whole_app) {
    Plan p;
    p.stop = units;
    for (const auto& s : sockets) {
        auto ref = parse_socket(app, s.name);
        if (ref && has(units, ref->unit)) p.stop_sockets.push_back(s.name);
    }
    if (whole_app) p.stop_last.push_back(app_target_name(app));
    return p;
}

Plan plan_start(const UnitSet& set, const std::vector<std::string>& units, bool whole_app,
                const std::set<std::string>& idle) {
    Plan p;
    p.start = units;
    for (const auto& i : set.instances) {
        if (i.socket.empty() || !has(units, i.unit)) continue;
        p.start_sockets.push_back(i.socket);
        if (i.fresh_socket() && idle.count(i.unit)) p.stop_sockets.push_back(i.socket);
    }
    p.start_target = whole_app;
    return p;
}

Plan plan_restart(const UnitSet& set, const std::vector<std::string>& units) {
    Plan p;
    for (const auto& i : set.instances)
        if (has(units, i.unit)) p.restart.push_back({i.unit, false, {}, i.min_ready_usec, i.socket, i.batch});
    return p;
}

std::map<std::string, std::string> reload_signals(const Formation& f, const std::vector<std::string>& names) {
    std::map<std::string, std::string> out;
    for (const auto& name : select_types(f, names)) {
        const ProcessType& p = *std::find_if(f.processes.begin(), f.processes.end(),
                                             [&name](const ProcessType& t) { return t.name == name; });
        if (p.reload_signal) out.emplace(name, *p.reload_signal);
        else if (!names.empty())
            throw Error("process type " + name + " of app " + f.app + " has no reload_signal; set reload_signal " +
                            "(e.g. reload_signal = \"SIGHUP\") in [process." + name + "] to reload it, or use " +
                            "`formation restart " + name + "`",
                        exit_usage);
    }
    if (out.empty()) throw Error("no process type of app " + f.app + " has a reload_signal; nothing to reload", exit_usage);
    return out;
}

Plan plan_destroy(const std::vector<std::string>& units, const std::vector<std::string>& sockets,
                  const std::string& app) {
    Plan p;
    p.stop = units;
    p.stop_sockets = sockets;
    p.stop_last = {app_target_name(app), slice_name(app)};
    p.reset_failed = units;
    p.reset_failed.insert(p.reset_failed.end(), sockets.begin(), sockets.end());
    p.reset_failed.push_back(app_target_name(app));
    p.reset_failed.push_back(health_unit_name(app));  // stopped with the target (PartOf=)
    p.uninstall = true;
    p.reload = true;
    return p;
}

Plan plan_revert(const UnitSet& next, const UnitSet& previous, const Observed& now,
                 const std::vector<std::string>& not_restarted) {
    Plan p = make_plan(&next, previous, now, true);
    std::erase_if(p.restart, [&not_restarted](const Restart& r) {
        return std::find(not_restarted.begin(), not_restarted.end(), r.unit) != not_restarted.end();
    });
    return p;
}

}  // namespace formation::app
