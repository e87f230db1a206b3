// formation reload [TYPE…]: a reload job (ExecReload=, which sends the
// type's reload_signal to the main process) for every running instance of
// the named types, or of every type that has a reload_signal. Nothing is
// restarted: each process keeps its PID. Under the app's lock, as restart.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "cli/app_context.hpp"
#include "cli/progress.hpp"
#include "plan/plan.hpp"

namespace formation::cli {

namespace {

struct Options {
    std::string app;
    std::vector<std::string> types;
};

// The types to reload: the named ones, each of which must have a
// reload_signal; else every type that has one.
std::vector<const ProcessType*> reloadable(const Formation& f, const std::vector<std::string>& names) {
    std::vector<const ProcessType*> out;
    for (const auto& name : select_types(f, names)) {
        const ProcessType& p = *std::find_if(f.processes.begin(), f.processes.end(),
                                             [&name](const ProcessType& t) { return t.name == name; });
        if (p.reload_signal) out.push_back(&p);
        else if (!names.empty())
            throw CliError("process type " + name + " of app " + f.app + " has no reload_signal; set reload_signal " +
                               "(e.g. reload_signal = \"SIGHUP\") in [process." + name + "] to reload it, or use " +
                               "`formation restart " + name + "`",
                           exit_usage);
    }
    if (out.empty())
        throw CliError("no process type of app " + f.app + " has a reload_signal; nothing to reload", exit_usage);
    return out;
}

int run(const Globals& g, const Options& o) {
    std::string app = resolve_app(g, o.app);
    host::Store store = host_store(g);
    host::AppLock lock = lock_app(store, app);
    InstalledFormation f = load_installed(g, app);
    warn_if_last_good(g, f);
    auto types = reloadable(f.formation, o.types);
    auto m = systemd::connect_manager(g.user);
    attach_progress(*m, g);

    // Only running instances: a reload job on a stopped unit fails, and
    // there is no process to signal.
    std::vector<systemd::JobRequest> jobs;
    std::vector<std::string> signals;
    for (const auto& s : m->list_unit_states({app + "-*@*.service"})) {
        auto ref = parse_instance(app, s.name);
        if (!ref || (s.active_state != "active" && s.active_state != "reloading")) continue;
        auto it = std::find_if(types.begin(), types.end(), [&ref](const ProcessType* p) { return p->name == ref->type; });
        if (it == types.end()) continue;
        jobs.push_back({systemd::JobType::reload, s.name});
        signals.push_back(*(*it)->reload_signal);
    }
    if (jobs.empty()) {
        if (!g.quiet) std::cout << "no running instance of " << app << " to reload\n";
        return exit_ok;
    }
    auto outcomes = m->run_jobs(jobs, job_timeout_usec(f.formation));
    bool ok = true;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        if (outcomes[i].ok()) {
            if (!g.quiet) std::cout << "reloaded " << outcomes[i].unit << " (" << signals[i] << ")\n";
        } else {
            ok = false;
            std::cerr << "formation: reload " << outcomes[i].unit << ": " << outcomes[i].result << "\n";
        }
    }
    return ok ? exit_ok : exit_failed;
}

}  // namespace

void add_reload(CLI::App& root, const Globals& g, Run& run_fn) {
    auto opts = std::make_shared<Options>();
    auto* cmd = root.add_subcommand("reload", "Send each running instance its type's reload_signal (no restart)");
    cmd->add_option("-a,--app", opts->app, "An installed app (no formation file needed)");
    cmd->add_option("types", opts->types, "Process types (default: every type with a reload_signal)");
    cmd->callback([&g, &run_fn, opts] { run_fn = [&g, opts] { return run(g, *opts); }; });
}

}  // namespace formation::cli
