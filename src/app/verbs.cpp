#include "app/verbs.hpp"

#include "app/release.hpp"
#include "host/health_state.hpp"
#include "host/releases.hpp"

#include <algorithm>

#include "app/installed.hpp"
#include "app/plans.hpp"
#include "compile/compile.hpp"

namespace formation::app {

namespace {

// The app under its lock, with its installed formation (warned about when
// it is the last good copy).
struct Locked {
    host::AppLock lock;
    InstalledFormation f;
};

Locked lock_installed(Env& env, const std::string& app) {
    host::AppLock lock = lock_app(env.store, app, env.say);
    InstalledFormation f = load_installed(env.store, env.user, app);
    if (f.on_last_good && !env.quiet) env.say(last_good_warning(f));
    return {std::move(lock), std::move(f)};
}

deploy::Options deploy_options(const Env& env, std::uint64_t bound) {
    deploy::Options d;
    d.sleep = env.sleep;
    d.clock = env.clock;
    d.job_timeout_usec = bound;
    return d;
}

// The one way a plan is carried out: deploy over the Env's Manager, then
// what explains each failure.
Report carry_out(Env& env, const std::string& app, Plan plan, const deploy::Options& d, const Formation* f) {
    Report r;
    r.app = app;
    r.app_target = app_target_name(app);
    r.plan = std::move(plan);
    const std::uint64_t began = now_realtime_usec();
    r.jobs = deploy::execute(r.plan, r.app_target, env.manager(), d);
    r.notes = explain(env, r.jobs, app, f, began);
    return r;
}

}  // namespace

Report act(Env& env, Action action, const std::string& app, const std::vector<std::string>& types, unsigned parallel,
           bool release) {
    Locked l = lock_installed(env, app);
    const Formation& f = l.f.formation;
    // stop may name a type the formation no longer has, if instances of it still run.
    if (action != Action::stop) select_types(f, types);
    UnitSet set = compile(f, install_options(env.user, l.f));
    systemd::Manager& m = env.manager();
    deploy::Options d = deploy_options(env, job_timeout_usec(f));
    d.parallel = parallel;
    Plan plan;
    std::vector<std::string> units;
    if (action == Action::stop) {
        units = instances_to_stop(loaded_instances(m, app), app, types);
        auto runs = scheduled_to_stop(m.list_unit_states({timer_glob(app), scheduled_glob(app)}), app, types);
        if (!types.empty() && units.empty() && runs.empty())
            for (const auto& t : types) select_types(f, {t});  // an unknown type with nothing running: say so
        plan = plan_stop(units, m.list_unit_states({socket_glob(app)}), app, types.empty());
        for (const auto& u : runs) (parse_timer(app, u) ? plan.stop_timers : plan.stop).push_back(u);
        units.insert(units.end(), runs.begin(), runs.end());
    } else {
        if (action == Action::restart) refuse_scheduled_restart(f, types);
        units = desired_instances(set, types);
        // start: a scheduled type's timer, and with its name a run now.
        std::vector<std::string> runs;
        for (const auto& sch : set.scheduled) {
            const bool named = std::find(types.begin(), types.end(), sch.type) != types.end();
            if (action != Action::start || (!types.empty() && !named)) continue;
            runs.push_back(sch.timer);
            if (named) runs.push_back(sch.service);
        }
        if (runs.size() > 0) d.job_timeout_usec = run_timeout_usec(f, types);
        if (action == Action::start) {
            std::set<std::string> idle;
            for (const auto& s : m.list_unit_states({instance_glob(app)}))
                if (!is_running_state(s.active_state)) idle.insert(s.name);
            plan = plan_start(set, units, types.empty(), idle);
            plan.start.insert(plan.start.end(), runs.begin(), runs.end());
            units.insert(units.end(), runs.begin(), runs.end());
        } else {
            plan = plan_restart(set, units);
        }
        // An operator's start is not a deploy: systemd's ready is enough.
        if (action == Action::start) d.settle_usec = 0;
    }
    if (release && action == Action::restart && f.release && !plan.restart.empty()) {
        Report r;
        r.app = app;
        r.release = run_release(env, f, install_options(env.user, l.f));
        if (!r.release->ok) {
            r.plan = std::move(plan);
            return r;
        }
        Report done = carry_out(env, app, std::move(plan), d, &f);
        done.release = std::move(r.release);
        done.units = std::move(units);
        return done;
    }
    Report r = carry_out(env, app, std::move(plan), d, &f);
    r.units = std::move(units);
    return r;
}

Report reload(Env& env, const std::string& app, const std::vector<std::string>& types) {
    Locked l = lock_installed(env, app);
    auto signals = reload_signals(l.f.formation, types);
    systemd::Manager& m = env.manager();
    Plan plan;
    std::vector<std::string> sent;
    // Only running instances: a reload job on a stopped unit fails, and
    // there is no process to signal.
    for (const auto& s : m.list_unit_states({instance_glob(app)})) {
        auto ref = parse_instance(app, s.name);
        if (!ref || (s.active_state != "active" && s.active_state != "reloading")) continue;
        auto it = signals.find(ref->type);
        if (it == signals.end()) continue;
        plan.reload_instances.push_back(s.name);
        sent.push_back(it->second);
    }
    Report r;
    r.app = app;
    if (plan.reload_instances.empty()) return r;
    r.plan = std::move(plan);
    r.jobs = deploy::execute(r.plan, app_target_name(app), m, deploy_options(env, job_timeout_usec(l.f.formation)));
    r.reload_signals = std::move(sent);
    return r;
}

Report destroy(Env& env, const std::string& app) {
    host::AppLock lock = lock_app(env.store, app, env.say);
    auto installed = env.store.installed(app);
    systemd::Manager& m = env.manager();
    std::vector<std::string> units = loaded_instances(m, app);
    // Its sockets too, listening or failed (a port another process held):
    // a failed unit stays loaded, and the system degraded, until reset.
    // Shared sockets and their holders too (StopWhenUnneeded= would stop
    // them with the last instance; a failed one stays until reset).
    std::vector<std::string> sockets;
    // ("shop-*.socket" matches the per-instance sockets too.)
    for (const auto& s : m.list_unit_states({shared_socket_glob(app), shared_holder_glob(app)})) {
        if ((parse_socket(app, s.name) || parse_shared_socket(app, s.name) || parse_shared_holder(app, s.name)) &&
            std::find(sockets.begin(), sockets.end(), s.name) == sockets.end())
            sockets.push_back(s.name);
    }
    // on_failure handlers: one still running is stopped, a failed one (its
    // command failed) forgotten.
    for (const auto& s : m.list_unit_states({on_failure_glob(app)}))
        if (parse_on_failure(app, s.name)) sockets.push_back(s.name);
    // Timers (stopped first), and a scheduled run still going (or failed).
    std::vector<std::string> timers;
    for (const auto& s : m.list_unit_states({timer_glob(app), scheduled_glob(app)})) {
        if (parse_timer(app, s.name)) timers.push_back(s.name);
        if (parse_scheduled(app, s.name)) sockets.push_back(s.name);
    }
    if (!installed && units.empty() && sockets.empty() && timers.empty())
        throw Error("app " + app + " is not installed (no " + env.store.paths().installed_path(app).string() +
                        ") and none of its units is loaded",
                    exit_usage);
    // Its own stop timeouts bound the wait, when its formation (or the last
    // good copy) still renders; else the stated bound for an unknown app.
    std::uint64_t bound = unknown_job_timeout_usec;
    if (installed) {
        Resolved r = resolve_installed(*installed, compile_options(env.user, installed->path.string()));
        if (r.ok()) bound = job_timeout_usec(*r.rendered.formation);
    }
    deploy::Options d = deploy_options(env, bound);
    d.uninstall = [&env, &app] {
        env.store.remove(app);
        host::remove_releases(env.store.paths(), app);  // its history goes with it
        host::remove_health(env.store.paths(), app);    // and what its health checks last saw
    };
    Plan plan = plan_destroy(units, sockets, app);
    plan.stop_timers = timers;
    plan.reset_failed.insert(plan.reset_failed.end(), timers.begin(), timers.end());
    Report r = carry_out(env, app, std::move(plan), d, nullptr);
    r.units = std::move(units);
    r.other_copies = env.store.other_copies(app);
    return r;
}

}  // namespace formation::app
