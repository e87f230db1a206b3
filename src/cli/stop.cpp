// formation stop [TYPE…]: stop the app's instances (they come back at boot).
#include <CLI/CLI.hpp>

#include <algorithm>

#include "cli/app_context.hpp"
#include "compile/compile.hpp"
#include "plan/plan.hpp"

namespace formation::cli {

namespace {

struct StopOptions {
    std::string app;
    std::vector<std::string> types;
};

int run_stop(const Globals& g, const StopOptions& o) {
    LoadedFormation loaded = resolve_formation(g, o.app);
    auto types = select_types(loaded.formation, o.types);
    auto m = systemd::connect_manager(g.user);
    // Every loaded instance, wanted or not; one job each, all in flight at once.
    std::vector<systemd::JobRequest> jobs;
    for (const auto& u : loaded_instances(*m, loaded.formation.app, types)) jobs.push_back({systemd::JobType::stop, u});
    if (o.types.empty()) jobs.push_back({systemd::JobType::stop, app_target_name(loaded.formation.app)});
    int failed = report_failures(m->run_jobs(jobs), "stop");
    return failed ? exit_failed : exit_ok;
}

}  // namespace

void add_stop(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<StopOptions>();
    auto* cmd = root.add_subcommand("stop", "Stop the app's instances, or those of the given types");
    cmd->add_option("-a,--app", opts->app, "An installed app (no formation file needed)");
    cmd->add_option("types", opts->types, "Process types (default: all)");
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_stop(g, *opts); }; });
}

}  // namespace formation::cli
