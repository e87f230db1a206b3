// formation restart [TYPE…] [--parallel K]: rolling restart, K instances at a
// time, each batch started (and ready, for ready = "port"/"notify") before the next.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/app_context.hpp"
#include "compile/compile.hpp"

namespace formation::cli {

namespace {

struct RestartOptions {
    std::string app;
    std::vector<std::string> types;
    unsigned parallel = 1;
};

int run_restart(const Globals& g, const RestartOptions& o) {
    std::vector<std::string> units = select_instances(g, o.app, o.types).units;
    auto m = systemd::connect_manager(g.user);
    m->reset_failed(units);
    int failed = 0;
    for (std::size_t i = 0; i < units.size(); i += o.parallel) {
        std::vector<systemd::JobRequest> batch;
        for (std::size_t k = i; k < units.size() && k < i + o.parallel; ++k)
            batch.push_back({systemd::JobType::restart, units[k]});
        auto outcomes = m->run_jobs(batch);
        failed += report_failures(outcomes, "restart");
        for (const auto& r : outcomes)
            if (r.ok()) std::cout << "restarted " << r.unit << '\n';
            else std::cerr << last_log_lines(r.unit, g.user, 10);
    }
    return failed ? exit_failed : exit_ok;
}

}  // namespace

void add_restart(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<RestartOptions>();
    auto* cmd = root.add_subcommand("restart", "Rolling restart of the app's instances, or those of the given types");
    cmd->add_option("-a,--app", opts->app, "An installed app (no formation file needed)");
    cmd->add_option("types", opts->types, "Process types (default: all)");
    cmd->add_option("--parallel", opts->parallel, "Instances restarted at a time")->check(CLI::Range(1, 1000))
        ->capture_default_str();
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_restart(g, *opts); }; });
}

}  // namespace formation::cli
