// formation destroy: stop the app and remove everything it installed.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/app_context.hpp"
#include "compile/compile.hpp"
#include "plan/plan.hpp"

namespace formation::cli {

namespace {

int run_destroy(const Globals& g, const std::string& app_opt) {
    std::string app = app_opt.empty() ? g.app : app_opt;
    if (app.empty()) app = load_formation(g.file).formation.app;
    systemd::UnitDir dir(unit_dir_path(g));
    auto lock = dir.lock(lock_timeout_sec());
    std::vector<std::string> owned = dir.manifest(app);
    if (owned.empty() && !dir.stored_formation(app)) throw CliError("app " + app + " is not installed in " + dir.root().string(), exit_usage);
    auto m = systemd::connect_manager(g.user);
    std::vector<systemd::JobRequest> jobs;
    for (const auto& u : loaded_instances(*m, app, types_in(app, owned))) jobs.push_back({systemd::JobType::stop, u});
    jobs.push_back({systemd::JobType::stop, app_target_name(app)});
    int failed = report_failures(m->run_jobs(jobs), "stop");
    std::vector<std::string> units;
    for (const auto& j : jobs) units.push_back(j.unit);
    m->reset_failed(units);
    for (const auto& path : owned) {
        dir.remove(path);
        std::cout << "  remove " << path << '\n';
    }
    dir.forget(app);
    m->reload();
    std::cout << "destroyed " << app << '\n';
    return failed ? exit_failed : exit_ok;
}

}  // namespace

void add_destroy(CLI::App& root, const Globals& g, Run& run) {
    auto app = std::make_shared<std::string>();
    auto* cmd = root.add_subcommand("destroy", "Stop the app and remove every file it installed");
    cmd->add_option("-a,--app", *app, "An installed app (no formation file needed)");
    cmd->callback([&g, &run, app] { run = [&g, app] { return run_destroy(g, *app); }; });
}

}  // namespace formation::cli
