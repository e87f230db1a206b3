// formation start | stop | restart [TYPE…]: one shape, as systemctl's
// start/stop/restart share verb_start. Each acts on the installed formation
// under the app's lock; stop reaches every loaded instance of the app,
// listed in the formation or not, and their sockets.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "cli/app_context.hpp"
#include "cli/progress.hpp"
#include "cli/converge.hpp"
#include "deploy/execute.hpp"
#include "plan/plan.hpp"

namespace formation::cli {

namespace {

enum class Verb { start, stop, restart };

struct Options {
    std::string app;
    std::vector<std::string> types;
    unsigned parallel = 1;
};

// Stop: every loaded instance of the named types (any type when none is
// named, including types the formation no longer lists).
std::vector<std::string> to_stop(systemd::Manager& m, const std::string& app, const std::vector<std::string>& types) {
    std::vector<std::string> out;
    for (auto& unit : loaded_instances(m, app)) {
        auto ref = parse_instance(app, unit);
        if (types.empty() || std::find(types.begin(), types.end(), ref->type) != types.end()) out.push_back(unit);
    }
    return out;
}

// The loaded sockets of `instances`: a stopped instance's socket would
// start it again at the next connection.
std::vector<std::string> sockets_of(systemd::Manager& m, const std::string& app, const std::vector<std::string>& instances) {
    std::vector<std::string> out;
    for (auto& s : m.list_unit_states({app + "-*@*.socket"})) {
        auto ref = parse_socket(app, s.name);
        if (ref && std::find(instances.begin(), instances.end(), ref->unit) != instances.end()) out.push_back(s.name);
    }
    return out;
}

// The sockets of the desired `units` that have one: a start pulls them in,
// so their start counters are reset with the instances'.
std::vector<std::string> desired_sockets(const UnitSet& set, const std::vector<std::string>& units) {
    std::vector<std::string> out;
    for (const auto& i : set.instances)
        if (!i.socket.empty() && std::find(units.begin(), units.end(), i.unit) != units.end()) out.push_back(i.socket);
    return out;
}

// The restart steps of a roll: each instance with its type's min_ready;
// its socket stays up.
std::vector<Restart> roll_of(const UnitSet& set, const std::vector<std::string>& units) {
    std::vector<Restart> steps;
    for (const auto& i : set.instances)
        if (std::find(units.begin(), units.end(), i.unit) != units.end())
            steps.push_back({i.unit, false, {}, i.min_ready_usec, i.socket});
    return steps;
}

int run(Verb verb, const Globals& g, const Options& o) {
    std::string app = resolve_app(g, o.app);
    host::Store store = host_store(g);
    host::AppLock lock = lock_app(store, app);
    InstalledFormation f = load_installed(g, app);
    warn_if_last_good(g, f);
    // stop may name a type the formation no longer has, if instances of it still run.
    std::vector<std::string> types = verb == Verb::stop ? o.types : select_types(f.formation, o.types);
    UnitSet set = compile(f.formation, install_options(g, f));
    auto m = systemd::connect_manager(g.user);
    attach_progress(*m, g);

    deploy::Options d;
    d.sleep = real_sleep;
    d.job_timeout_usec = job_timeout_usec(f.formation);
    d.parallel = o.parallel;
    deploy::Report report;
    const std::uint64_t began = now_realtime_usec();
    std::vector<std::string> units =
        verb == Verb::stop ? to_stop(*m, app, types) : desired_instances(set, o.types);
    if (verb == Verb::stop && !o.types.empty() && units.empty())
        for (const auto& t : o.types) select_types(f.formation, {t});  // an unknown type with nothing running: say so
    if (verb == Verb::restart) {
        report = deploy::rolling_restart(roll_of(set, units), *m, d);
    } else {
        std::vector<systemd::JobRequest> jobs;
        auto type = verb == Verb::start ? systemd::JobType::start : systemd::JobType::stop;
        for (const auto& u : units) jobs.push_back({type, u});
        // Queued after their services: systemd stops each socket once its
        // service has drained. A start starts them through Requires=.
        if (verb == Verb::stop)
            for (const auto& s : sockets_of(*m, app, units)) jobs.push_back({type, s});
        if (o.types.empty()) jobs.push_back({type, set.app_target});
        // A start resets the start counters first (deploy::run_jobs), so an
        // operator's start is never refused by the crash-loop limiter.
        std::vector<std::string> sockets;
        if (verb == Verb::start) sockets = desired_sockets(set, units);
        auto outcomes = verb == Verb::start ? deploy::run_jobs(*m, jobs, sockets, d.job_timeout_usec)
                                            : m->run_jobs(jobs, d.job_timeout_usec);
        report.failures = deploy::failures_of(outcomes, verb == Verb::start ? "start" : "stop", sockets, *m);
    }
    print_report(report, app, g, &f.formation, began);
    if (verb == Verb::restart && !g.quiet) {
        // In the order of the roll, as each came back.
        for (const auto& u : units) {
            bool failed = std::any_of(report.failures.begin(), report.failures.end(),
                                      [&u](const deploy::Failure& x) { return x.unit == u; });
            bool skipped = std::find(report.not_restarted.begin(), report.not_restarted.end(), u) != report.not_restarted.end();
            if (!failed && !skipped) std::cout << "restarted " << u << "\n";
        }
    } else if (report.ok() && !g.quiet) {
        std::cout << (verb == Verb::start ? "started " : "stopped ") << units.size() << " instance"
                  << (units.size() == 1 ? "" : "s") << " of " << app << "\n";
    }
    return report.ok() ? exit_ok : exit_failed;
}

void add(CLI::App& root, const Globals& g, Run& run_fn, Verb verb, const char* name, const char* help) {
    auto opts = std::make_shared<Options>();
    auto* cmd = root.add_subcommand(name, help);
    cmd->add_option("-a,--app", opts->app, "An installed app (no formation file needed)");
    cmd->add_option("types", opts->types, "Process types (default: all)");
    if (verb == Verb::restart)
        cmd->add_option("--parallel", opts->parallel, "Instances restarted at a time")->check(CLI::Range(1, 1000))
            ->capture_default_str();
    cmd->callback([&g, &run_fn, opts, verb] { run_fn = [&g, opts, verb] { return run(verb, g, *opts); }; });
}

}  // namespace

void add_start(CLI::App& root, const Globals& g, Run& run) {
    add(root, g, run, Verb::start, "start", "Start the app's instances, or those of the given types");
}
void add_stop(CLI::App& root, const Globals& g, Run& run) {
    add(root, g, run, Verb::stop, "stop", "Stop the app's instances (any that run), or those of the given types");
}
void add_restart(CLI::App& root, const Globals& g, Run& run) {
    add(root, g, run, Verb::restart, "restart",
        "Rolling restart: each instance ready and held up for its min_ready before the next goes down");
}

}  // namespace formation::cli
