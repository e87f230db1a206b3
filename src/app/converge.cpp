// apply and scale: under the app's lock, compute the new formation (from
// what is installed, for scale), plan against what runs and what it was
// converged to, and carry the plan out with deploy::execute.
#include <algorithm>
#include <map>
#include <set>

#include "app/installed.hpp"
#include "app/plans.hpp"
#include "app/release.hpp"
#include "app/release_history.hpp"
#include "app/verbs.hpp"
#include "app/formation_file.hpp"
#include "compile/render.hpp"
#include "formation/count_edit.hpp"

namespace formation::app {

namespace {

bool generated_by_us(const systemd::UnitState& s, const std::vector<std::string>& sources, bool user) {
    // Generator output directories: /run/systemd/generator{,.early,.late}
    // (user: $XDG_RUNTIME_DIR/systemd/generator…).
    bool in_generator_dir = user ? s.fragment_path.find("/systemd/generator") != std::string::npos
                                 : s.fragment_path.starts_with("/run/systemd/generator");
    return in_generator_dir && std::find(sources.begin(), sources.end(), s.source_path) != sources.end();
}

// What systemd ignored while loading the app's units ("…, ignoring"): a
// value check cannot judge, such as one in a raw directive. systemd does not
// refuse the unit, so neither does apply, but nobody should miss it.
std::vector<systemd::ConfigWarning> config_warnings(Env& env, std::uint64_t since, const UnitSet& set) {
    std::set<std::string> ours{set.app_target, slice_name(set.app)};
    for (const auto& i : set.instances) {
        ours.insert(i.unit);
        if (!i.socket.empty()) ours.insert(i.socket);
    }
    for (const auto& sch : set.scheduled) {
        ours.insert(sch.timer);
        ours.insert(sch.service);
    }
    return env.journal->config_warnings(since, [&ours](const std::string& u) { return ours.count(u) > 0; });
}

// A new release when the formation differs from the last one recorded.
// History is a record, not the deploy: a write that fails is a warning.
void record(Env& env, const std::string& app, const LoadedFormation& next, const std::optional<std::string>& before,
            const ConvergeOptions& o, Report& r) {
    try {
        auto kept = host::list_releases(env.store.paths(), app);
        if (!kept.empty() && kept.back().digest == host::text_digest(next.text)) return;
        std::optional<LoadedFormation> previous;
        if (before) try {
                previous = parse_loaded(r.installed_path, *before);
            } catch (const std::exception&) {
            }
        std::string summary = summarize_changes(previous ? &previous->formation : nullptr, next.formation);
        if (!o.summary_prefix.empty()) summary = o.summary_prefix + ": " + summary;
        r.recorded = host::record_release(env.store.paths(), app, next.text, o.who, summary, now_realtime_usec());
    } catch (const std::exception& e) {
        env.say(std::string("formation: warning: the release history was not written: ") + e.what());
    }
}

}  // namespace

Observed observe(systemd::Manager& m, const UnitSet& set, const host::Paths& paths, bool user) {
    // Made by the generator from APP.toml in any directory of the search path.
    std::vector<std::string> sources;
    for (const auto& dir : paths.config_dirs) sources.push_back((dir / (set.app + ".toml")).string());
    Observed o;
    auto globs = app_unit_globs(set.app);
    globs.push_back(scheduled_glob(set.app));
    for (const auto& s : m.list_unit_states(globs))
        if (s.name == set.app_target || s.name == health_unit_name(set.app) || parse_instance(set.app, s.name) ||
            parse_socket(set.app, s.name) || parse_shared_socket(set.app, s.name) || parse_timer(set.app, s.name) ||
            parse_scheduled(set.app, s.name))
            o.active[s.name] = s.active_state;
    std::vector<std::string> probes{set.app_target};
    for (const auto& t : set.types) probes.push_back(instance_name(set.app, t, 1));
    for (const auto& sch : set.scheduled) {
        probes.push_back(sch.timer);
        probes.push_back(sch.service);
    }
    for (const auto& s : m.unit_states(probes)) {
        if (s.load_state == "masked")
            throw Error(s.name + " is masked; formation will not install an app whose units are masked", exit_failed);
        if (s.load_state == "loaded" && !generated_by_us(s, sources, user))
            throw Error(s.name + " is already loaded from " + (s.fragment_path.empty() ? "memory" : s.fragment_path) +
                            ", which formation did not generate for app " + set.app + "; move it away (or choose " +
                            "another app name) first",
                        exit_failed);
        if (s.name == set.app_target) o.needs_reload = s.load_state != "loaded" || s.need_daemon_reload;
    }
    return o;
}

void check_ports(const Env& env, const LoadedFormation& next, const UnitSet& set) {
    auto ours = ports_of(next.formation, set, next.path);
    if (ours.empty()) return;
    auto claims = other_apps_ports(env.user, next.formation.app);
    std::map<int, const PortClaim*> theirs;  // port → the first app that claims it
    for (const auto& c : claims) theirs.emplace(c.port, &c);
    std::vector<Diagnostic> errors;
    for (const auto& p : next.formation.processes) {
        const PortClaim* mine = nullptr;   // the first instance of the type that clashes
        const PortClaim* other = nullptr;  // and whose port it is
        std::size_t clashes = 0;
        bool refused = false;
        for (const auto& claim : ours) {
            auto it = theirs.find(claim.port);
            if (claim.type != p.name || it == theirs.end()) continue;
            if (!mine) {
                mine = &claim;
                other = it->second;
            }
            refused = refused || claim.socket || it->second->socket;
            ++clashes;
        }
        if (!mine) continue;
        std::string what = "port " + std::to_string(mine->port) + " (" + mine->instance +
                           (mine->socket ? ", socket = true" : "") + ") is also app " + other->app + "'s: " +
                           other->file + " gives it to " + other->instance + (other->socket ? " (socket = true)" : "");
        if (clashes > 1) what += "; " + std::to_string(clashes - 1) + " more of " + p.name + "'s ports too";
        if (refused)
            errors.push_back({p.port_where, what + "; systemd listens on every address, so one of the two could never "
                                                   "start: choose another port, or destroy " + other->app + " first"});
        else
            env.say("formation: warning: " + what + "; only one of them can listen on it");
    }
    if (!errors.empty()) throw InvalidFormation{FormationError(errors), next.text};
}

Report converge(Env& env, const std::string& app, const DesiredFormation& desired, const ConvergeOptions& o,
                const std::function<void(const Report&)>& planned) {
    if (env.generator.empty()) {
        std::string msg = std::string("formation's ") + (env.user ? "user " : "") +
                          "generator is not installed, so systemd would not see the app's units; install formation "
                          "with `meson install -C build` (it puts formation-generator in systemd's " +
                          (env.user ? "user" : "system") + "-generators directory)";
        if (!o.dry_run) throw Error(msg, exit_failed);
        env.say("formation: warning: " + msg);
    }
    const host::Store& store = env.store;
    std::optional<host::AppLock> lock;
    if (!o.dry_run) lock.emplace(lock_app(store, app, env.say));
    auto installed = store.installed(app);
    LoadedFormation next = desired(installed);
    Report r;
    r.app = app;
    r.dry_run = o.dry_run;
    r.installed_path = store.paths().installed_path(app).string();
    CompileOptions options = compile_options(env.user, r.installed_path);
    UnitSet set = compile(next.formation, options);
    r.app_target = set.app_target;
    check_ports(env, next, set);

    // What the running instances were started from: the formation last
    // converged, else the installed one (it made the loaded units).
    std::optional<std::string> before = store.applied(app);
    if (!before && installed) before = installed->text;
    std::optional<Rendered> converged;
    if (before) converged = render(*before, r.installed_path, options, app);
    const UnitSet* converged_set = converged && converged->ok() ? &converged->set : nullptr;

    systemd::Manager& m = env.manager();
    std::uint64_t bound = job_timeout_usec(next.formation);
    if (!o.dry_run && !deploy::wait_idle(m, app_unit_globs(app), bound, env.sleep))
        throw Error("jobs queued for app " + app + " are still running after " + std::to_string(bound / usec_per_sec) +
                        " s; see `systemctl list-jobs`",
                    exit_failed);
    Observed observed = observe(m, set, store.paths(), env.user);
    bool install = !installed || installed->path != r.installed_path || installed->text != next.text;
    r.plan = make_plan(converged_set, set, observed, install);
    planned(r);
    if (o.dry_run) return r;
    // The release phase, before anything is installed or stops: its
    // failure changes nothing.
    if (o.release && next.formation.release && starts_instances(r.plan, app)) {
        r.release = run_release(env, next.formation, options);
        if (!r.release->ok) return r;
    }

    deploy::Options d;
    d.sleep = env.sleep;
    d.clock = env.clock;
    d.install = [&store, &app, &next] { store.install(app, next.text); };
    d.settle_usec = o.settle_usec;
    d.job_timeout_usec = bound;
    d.parallel = o.parallel;
    if (env.tty && !env.quiet) d.progress = [&env](const std::string& what) { env.say("formation: " + what + "…"); };
    const std::uint64_t began = now_realtime_usec();
    r.jobs = deploy::execute(r.plan, set.app_target, m, d);
    r.notes = explain(env, r.jobs, app, &next.formation, began);
    r.config_warnings = config_warnings(env, began, set);
    if (r.ok()) {
        store.set_applied(app, next.text);
        if (o.record) record(env, app, next, before, o, r);
        return r;
    }
    if (!o.revert || !r.plan.install) return r;
    if (!converged_set || !before) {
        r.not_reverted = "there is no previous formation to go back to";
        return r;
    }
    // Back to what the instances were converged to, paced the same way.
    Revert back;
    back.installed_path = r.installed_path;
    const std::string previous_text = *before;
    back.plan = plan_revert(set, *converged_set, observe(m, *converged_set, store.paths(), env.user),
                            r.jobs.not_restarted);
    d.install = [&store, &app, &previous_text] { store.install(app, previous_text); };
    if (env.tty && !env.quiet) env.say("formation: the release failed; going back to the previous formation…");
    const std::uint64_t back_began = now_realtime_usec();
    back.jobs = deploy::execute(back.plan, set.app_target, m, d);
    std::optional<LoadedFormation> previous;
    try {
        previous = parse_loaded(r.installed_path, previous_text);
    } catch (const std::exception&) {
    }
    back.notes = explain(env, back.jobs, app, previous ? &previous->formation : nullptr, back_began);
    r.reverted = std::move(back);
    return r;
}

Report scale(Env& env, const std::string& app, const std::vector<CountChange>& changes,
             std::vector<std::pair<std::string, int>>& counts, const std::function<void(const Report&)>& planned) {
    auto desired = [&](const std::optional<host::InstalledFile>& installed) {
        if (!installed) throw Error("app " + app + " is not installed; `formation apply` installs it first", exit_usage);
        LoadedFormation base = parse_loaded(installed->path.string(), installed->text);
        select_types(base.formation, types_of(changes));
        counts = resolve_counts(changes, base.formation);
        // Only the count lines change: comments, layout and the rest stay.
        try {
            return parse_loaded(installed->path.string(), set_counts(base.text, base.path, counts));
        } catch (const FormationError& e) {
            throw InvalidFormation{e, base.text};
        }
    };
    return converge(env, app, desired, {}, planned);
}

Report rollback(Env& env, const std::string& app, std::optional<unsigned> n, ConvergeOptions o,
                const std::function<void(const Report&)>& planned) {
    const host::Release target = rollback_target(host::list_releases(env.store.paths(), app), n, app);
    auto text = host::release_text(env.store.paths(), app, target.number);
    if (!text) throw Error("release " + std::to_string(target.number) + " of app " + app + " is listed but its file is gone",
                           exit_failed);
    const std::string path = env.store.paths().installed_path(app).string();
    LoadedFormation loaded;
    try {
        loaded = parse_loaded(path, *text);
    } catch (const FormationError& e) {
        throw InvalidFormation{e, *text};
    }
    if (loaded.formation.app != app)
        throw Error("release " + std::to_string(target.number) + " is of app " + loaded.formation.app, exit_failed);
    // Its migrations ran when it was first released; a rollback does not
    // run the release command (expand-then-contract keeps the schema
    // compatible with the release before).
    o.release = false;
    o.record = true;
    o.summary_prefix = "rollback to " + std::to_string(target.number);
    return converge(env, app, [&loaded](const auto&) { return loaded; }, o, planned);
}

}  // namespace formation::app
