#include "cli/converge.hpp"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <set>
#include <cstdlib>
#include <chrono>
#include <iostream>
#include <map>
#include <thread>

#include "cli/app_context.hpp"
#include "cli/progress.hpp"
#include "cli/table.hpp"
#include "compile/render.hpp"
#include "deploy/execute.hpp"
#include "systemd/config_warnings.hpp"
#include "systemd/journal.hpp"
#include "plan/plan.hpp"

namespace formation::cli {

namespace {

bool generated_by_us(const systemd::UnitState& s, const std::vector<std::string>& sources, bool user) {
    // Generator output directories: /run/systemd/generator{,.early,.late}
    // (user: $XDG_RUNTIME_DIR/systemd/generator…).
    bool in_generator_dir = user ? s.fragment_path.find("/systemd/generator") != std::string::npos
                                 : s.fragment_path.starts_with("/run/systemd/generator");
    return in_generator_dir && std::find(sources.begin(), sources.end(), s.source_path) != sources.end();
}

// The app's units as systemd has them: states, whether the installed file
// changed since the last reload, and any unit name already taken by a unit
// formation did not generate (refused, naming its file).
Observed observe(systemd::Manager& m, const UnitSet& set, const host::Paths& paths, bool user) {
    // Made by the generator from APP.toml in any directory of the search path.
    std::vector<std::string> sources;
    for (const auto& dir : paths.config_dirs) sources.push_back((dir / (set.app + ".toml")).string());
    Observed o;
    for (const auto& s : m.list_unit_states(app_unit_patterns(set.app)))
        if (s.name == set.app_target || parse_instance(set.app, s.name) || parse_socket(set.app, s.name))
            o.active[s.name] = s.active_state;
    std::vector<std::string> probes{set.app_target};
    for (const auto& t : set.types) probes.push_back(set.app + "-" + t + "@1.service");
    for (const auto& s : m.unit_states(probes)) {
        if (s.load_state == "masked")
            throw CliError(s.name + " is masked; formation will not install an app whose units are masked", exit_failed);
        if (s.load_state == "loaded" && !generated_by_us(s, sources, user))
            throw CliError(s.name + " is already loaded from " + (s.fragment_path.empty() ? "memory" : s.fragment_path) +
                               ", which formation did not generate for app " + set.app + "; move it away (or choose " +
                               "another app name) first",
                           exit_failed);
        if (s.name == set.app_target) o.needs_reload = s.load_state != "loaded" || s.need_daemon_reload;
    }
    return o;
}

// One action of the plan: {"action":…,"unit"|"path":…} and, once carried
// out, "result" (done, failed, skipped) and "reason".
std::string action_json(const std::string& action, const std::string& unit, const std::string& path,
                        const deploy::Report* r) {
    std::string out = "{\"action\":" + json_quote(action);
    if (!unit.empty()) out += ",\"unit\":" + json_quote(unit);
    if (!path.empty()) out += ",\"path\":" + json_quote(path);
    if (!r) return out + "}";
    auto failed = std::find_if(r->failures.begin(), r->failures.end(), [&](const deploy::Failure& f) {
        return !unit.empty() && f.unit == unit && f.action == action;
    });
    bool skipped = action == "restart" &&
                   std::find(r->not_restarted.begin(), r->not_restarted.end(), unit) != r->not_restarted.end();
    if (failed != r->failures.end()) return out + ",\"result\":\"failed\",\"reason\":" + json_quote(failed->reason) + "}";
    return out + ",\"result\":" + (skipped ? "\"skipped\"" : "\"done\"") + ",\"reason\":null}";
}

}  // namespace

std::uint64_t now_realtime_usec() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * usec_per_sec + static_cast<std::uint64_t>(ts.tv_nsec) / 1000;
}

// What systemd ignored while loading the app's units ("…, ignoring"): a
// value check cannot judge, such as one in a raw directive. systemd does not
// refuse the unit, so neither does apply, but nobody should miss it.
void print_config_warnings(bool user, std::uint64_t since, const UnitSet& set) {
    std::set<std::string> ours{set.app_target, slice_name(set.app)};
    for (const auto& i : set.instances) {
        ours.insert(i.unit);
        if (!i.socket.empty()) ours.insert(i.socket);
    }
    for (const auto& w : systemd::config_warnings(user, since, [&](const std::string& u) { return ours.count(u) > 0; }))
        std::cerr << "formation: warning: systemd ignored a setting of " << w.unit << ": "
                  << terminal_safe(w.message) << "\n";
}

std::string plan_json(const Plan& plan, const std::string& app, const std::string& app_target,
                      const std::string& installed_path, const deploy::Report* r) {
    std::vector<std::pair<std::string, std::string>> units;  // (action, unit), in the order carried out
    std::string actions;
    auto add = [&](const std::string& action, const std::string& unit, const std::string& path = "") {
        actions += (actions.empty() ? "" : ",") + action_json(action, unit, path, r);
        if (!unit.empty()) units.emplace_back(action, unit);
    };
    for (const auto& u : plan.stop) add("stop", u);
    for (const auto& u : plan.stop_sockets) add("stop", u);
    if (plan.install) add("install", "", installed_path);
    if (plan.reload) add("reload", "");
    for (const auto& u : plan.start) add("start", u);
    if (plan.start_target) add("start", app_target);
    for (const auto& step : plan.restart) add("restart", step.unit);
    for (const auto& u : plan.reset_failed)
        if (std::find(plan.start.begin(), plan.start.end(), u) == plan.start.end()) add("forget", u);
    if (r)  // a failure no action names (none expected) is still reported
        for (const auto& f : r->failures)
            if (std::find(units.begin(), units.end(), std::pair(f.action, f.unit)) == units.end()) add(f.action, f.unit);
    return "{\"app\":" + json_quote(app) + ",\"formation\":" + json_quote(installed_path) +
           ",\"dry_run\":" + (r ? "false" : "true") + ",\"actions\":[" + actions + "],\"ok\":" +
           (r ? (r->ok() ? "true" : "false") : "null") + "}\n";
}

namespace {

// The port formation `f` gives the instance `unit` of app `app`; 0 if none.
int port_of(const Formation* f, const std::string& app, const std::string& unit) {
    auto ref = parse_instance(app, unit);
    if (!f || !ref) return 0;
    for (const auto& p : f->processes)
        if (p.name == ref->type && p.port) return *p.port + ref->index - 1;
    return 0;
}

// What systemd logged about `unit` since `since_usec`: its own messages
// ("Failed to create listening socket ([::]:5000): Address already in
// use"). PID 1 hands them to journald before the job ends, but journald
// may not have stored them yet: wait until some are there, for a while.
std::string manager_lines(const std::string& unit, bool user, std::uint64_t since_usec) {
    systemd::JournalQuery q;
    q.units = {unit};
    q.user = user;
    q.last = 5;
    if (since_usec) q.since_usec = since_usec;
    std::string out;
    try {
        for (int tries = 0; tries < 40; ++tries) {
            auto entries = systemd::read_journal(q);
            for (const auto& e : entries) out += "    " + terminal_safe(e.message, true) + '\n';
            if (!out.empty()) break;
            real_sleep(50000);
        }
    } catch (const std::exception& e) {
        out = std::string("    (journal unreadable: ") + e.what() + ")\n";
    }
    return out;
}

// Why the socket of a failed start could not listen: its port and who holds it.
void explain_failed_socket(const deploy::Failure& f, const std::string& app, const Globals& g,
                           const Formation* formation, std::uint64_t since_usec) {
    if (int port = port_of(formation, app, f.unit)) {
        std::string holder = port_listener(port);
        std::cerr << "formation: port " << port << " of " << f.failed_socket << " is in use"
                  << (holder.empty() ? " (no listener found now)" : " by " + holder);
        for (const auto& c : other_apps_ports(g, app))
            if (c.port == port) {
                std::cerr << "; app " << c.app << " claims it (" << c.file << " gives it to " << c.instance << ")";
                break;
            }
        std::cerr << "\n";
    }
    std::string said = manager_lines(f.failed_socket, g.user, since_usec);
    if (!said.empty()) std::cerr << "formation: systemd logged about " << f.failed_socket << ":\n" << said;
}

}  // namespace

void print_report(const deploy::Report& r, const std::string& app, const Globals& g, const Formation* f,
                  std::uint64_t since_usec) {
    for (const auto& x : r.failures) {
        std::cerr << "formation: " << x.action << " " << x.unit << ": " << x.reason << "\n";
        if (!x.failed_socket.empty()) {
            explain_failed_socket(x, app, g, f, since_usec);
            continue;  // the process never ran: its old lines would mislead
        }
        auto ref = parse_instance(app, x.unit);
        if (!ref) continue;
        std::cerr << "formation: last lines of " << x.unit << " (more: formation -a " << app << " logs " << ref->type
                  << "." << ref->index << "):\n"
                  << last_log_lines(x.unit, g.user, 10);
    }
    if (!r.not_restarted.empty()) {
        std::cerr << "formation: the rolling restart stopped; still on the previous configuration:";
        for (const auto& u : r.not_restarted) std::cerr << ' ' << u;
        std::cerr << "\n";
    }
}

void check_ports(const Globals& g, const LoadedFormation& next, const UnitSet& set) {
    auto ours = ports_of(next.formation, set, next.path);
    if (ours.empty()) return;
    auto claims = other_apps_ports(g, next.formation.app);
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
            std::cerr << "formation: warning: " << what << "; only one of them can listen on it\n";
    }
    if (!errors.empty()) throw InvalidFormation{FormationError(errors), next.text};
}

int converge(const Globals& g, const std::string& app, const DesiredFormation& desired, const ConvergeOptions& o) {
    host::Store store = host_store(g);
    if (host::installed_generator(g.user).empty()) {
        std::string msg = std::string("formation's ") + (g.user ? "user " : "") +
                          "generator is not installed, so systemd would not see the app's units; install formation "
                          "with `meson install -C build` (it puts formation-generator in systemd's " +
                          (g.user ? "user" : "system") + "-generators directory)";
        if (!o.dry_run) throw CliError(msg, exit_failed);
        std::cerr << "formation: warning: " << msg << "\n";
    }
    std::optional<host::AppLock> lock;
    if (!o.dry_run)
        lock.emplace(lock_app(store, app));
    auto installed = store.installed(app);
    LoadedFormation next = desired(installed);
    const std::string installed_path = store.paths().installed_path(app).string();
    CompileOptions options = install_options(g, installed_path);
    UnitSet set = compile(next.formation, options);
    check_ports(g, next, set);

    // What the running instances were started from: the formation last
    // converged, else the installed one (it made the loaded units).
    std::optional<std::string> before = store.applied(app);
    if (!before && installed) before = installed->text;
    std::optional<Rendered> converged;
    if (before) converged = render(*before, installed_path, options, app);
    const UnitSet* converged_set = converged && converged->ok() ? &converged->set : nullptr;

    auto manager = systemd::connect_manager(g.user);
    attach_progress(*manager, g);
    std::uint64_t bound = job_timeout_usec(next.formation);
    if (!o.dry_run && !deploy::wait_idle(*manager, app_unit_patterns(app), bound, real_sleep))
        throw CliError("jobs queued for app " + app + " are still running after " + std::to_string(bound / usec_per_sec) +
                           " s; see `systemctl list-jobs`",
                       exit_failed);
    Observed observed = observe(*manager, set, store.paths(), g.user);
    bool install = !installed || installed->path != installed_path || installed->text != next.text;
    Plan plan = make_plan(converged_set, set, observed, install);
    if (o.json && o.dry_run) std::cout << plan_json(plan, app, set.app_target, installed_path, nullptr);
    else if (!o.json && (!g.quiet || o.dry_run))
        std::cout << (o.dry_run ? "would:\n" : "") << describe_plan(plan, installed_path);
    if (o.dry_run) return exit_ok;

    bool tty = ::isatty(STDERR_FILENO) && !g.quiet;
    deploy::Options d;
    d.sleep = real_sleep;
    d.install = [&] { store.install(app, next.text); };
    d.settle_usec = o.settle_usec;
    d.job_timeout_usec = bound;
    d.parallel = o.parallel;
    if (tty) d.progress = [](const std::string& what) { std::cerr << "formation: " << what << "…\n"; };
    const std::uint64_t began = now_realtime_usec();
    deploy::Report report = deploy::execute(plan, set.app_target, *manager, d);
    print_report(report, app, g, &next.formation, began);
    print_config_warnings(g.user, began, set);
    if (o.json) std::cout << plan_json(plan, app, set.app_target, installed_path, &report);
    if (report.ok()) store.set_applied(app, next.text);
    return report.ok() ? exit_ok : exit_failed;
}

}  // namespace formation::cli
