// formation metrics: every installed app's instances and scheduled runs in
// Prometheus's text exposition format (app/metrics.hpp), on stdout.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/metrics.hpp"
#include "cli/common.hpp"
#include "host/clock.hpp"

namespace formation::cli {

namespace {

int run_metrics(const Globals& g) {
    std::vector<std::string> problems;
    auto apps = app::observe_installed(g.user, problems);
    std::cout << app::render_metrics(apps, host::realtime_usec());
    for (const auto& p : problems) std::cerr << "formation: warning: " << p << "\n";
    return exit_ok;
}

}  // namespace

void add_metrics(CLI::App& root, const Globals& g, Run& run) {
    auto* cmd = root.add_subcommand("metrics", "Print every installed app's metrics for Prometheus");
    cmd->callback([&g, &run] { run = [&g] { return run_metrics(g); }; });
}

}  // namespace formation::cli
