// formation destroy: stop every instance of the app (listed or not), then
// remove its installed formation and reload, so its units are gone.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/app_context.hpp"
#include "cli/progress.hpp"
#include "cli/converge.hpp"
#include "compile/compile.hpp"
#include "deploy/execute.hpp"
#include "plan/plan.hpp"

namespace formation::cli {

namespace {

int run_destroy(const Globals& g, const std::string& verb_app) {
    std::string app = resolve_app(g, verb_app);
    host::Store store = host_store(g);
    host::AppLock lock = lock_app(store, app);
    auto installed = store.installed(app);
    auto m = systemd::connect_manager(g.user);
    attach_progress(*m, g);
    std::vector<std::string> units = loaded_instances(*m, app);
    // Its sockets too, listening or failed (a port another process held):
    // a failed unit stays loaded, and the system degraded, until reset.
    std::vector<std::string> sockets;
    for (const auto& s : m->list_unit_states({app + "-*@*.socket"}))
        if (parse_socket(app, s.name)) sockets.push_back(s.name);
    if (!installed && units.empty() && sockets.empty())
        throw CliError("app " + app + " is not installed (no " + store.paths().installed_path(app).string() +
                           ") and none of its units is loaded",
                       exit_usage);
    std::uint64_t bound = 600 * usec_per_sec;
    if (installed) {
        // Its own stop timeouts bound the wait, when the file still parses.
        try {
            bound = job_timeout_usec(load_installed(g, app).formation);
        } catch (...) {
        }
    }
    std::vector<systemd::JobRequest> jobs;
    for (const auto& u : units) jobs.push_back({systemd::JobType::stop, u});
    // Queued after their services: systemd stops each once its service has drained.
    for (const auto& s : sockets) jobs.push_back({systemd::JobType::stop, s});
    jobs.push_back({systemd::JobType::stop, app_target_name(app)});
    // A slice stays active after its last unit stops; the app leaves no trace.
    jobs.push_back({systemd::JobType::stop, slice_name(app)});
    deploy::Report report;
    report.failures = deploy::failures_of(m->run_jobs(jobs, bound), "stop", {}, *m);
    std::vector<std::string> forget = units;
    forget.insert(forget.end(), sockets.begin(), sockets.end());
    forget.push_back(app_target_name(app));
    m->reset_failed(forget);
    store.remove(app);
    m->reload();
    print_report(report, app, g);
    if (!g.quiet) std::cout << "destroyed " << app << " (stopped " << units.size() << " instances)\n";
    for (const auto& other : store.other_copies(app))
        std::cerr << "formation: warning: " << other.string() << " also installs app " << app
                  << "; its units come back from there (remove or mask it)\n";
    return report.ok() ? exit_ok : exit_failed;
}

}  // namespace

void add_destroy(CLI::App& root, const Globals& g, Run& run) {
    auto app = std::make_shared<std::string>();
    auto* cmd = root.add_subcommand("destroy", "Stop the app and remove its installed formation");
    cmd->add_option("-a,--app", *app, "An installed app (no formation file needed)");
    cmd->callback([&g, &run, app] { run = [&g, app] { return run_destroy(g, *app); }; });
}

}  // namespace formation::cli
