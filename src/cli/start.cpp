// formation start [TYPE…]: start the app's instances (clearing failed state first).
#include <CLI/CLI.hpp>

#include "cli/app_context.hpp"
#include "compile/compile.hpp"

namespace formation::cli {

namespace {

struct StartOptions {
    std::string app;
    std::vector<std::string> types;
};

int run_start(const Globals& g, const StartOptions& o) {
    Selection sel = select_instances(g, o.app, o.types);
    auto m = systemd::connect_manager(g.user);
    // A crash-looping instance that hit its start limit stays failed until reset.
    m->reset_failed(sel.units);
    std::vector<systemd::JobRequest> jobs;
    for (const auto& u : sel.units) jobs.push_back({systemd::JobType::start, u});
    if (o.types.empty()) jobs.push_back({systemd::JobType::start, sel.app_target});
    int failed = report_failures(m->run_jobs(jobs), "start");
    return failed ? exit_failed : exit_ok;
}

}  // namespace

void add_start(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<StartOptions>();
    auto* cmd = root.add_subcommand("start", "Start the app's instances, or those of the given types");
    cmd->add_option("-a,--app", opts->app, "An installed app (no formation file needed)");
    cmd->add_option("types", opts->types, "Process types (default: all)");
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_start(g, *opts); }; });
}

}  // namespace formation::cli
