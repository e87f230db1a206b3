// formation destroy: stop every instance of the app (listed or not), then
// remove its installed formation and reload, so its units are gone.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/verbs.hpp"
#include "cli/scope.hpp"
#include "cli/render_report.hpp"

namespace formation::cli {

namespace {

int run_destroy(const Globals& g, const std::string& verb_app) {
    std::string name = resolve_app(g, verb_app);
    app::Env env = host_env(g);
    app::Report r = app::destroy(env, name);
    print_failures(r);
    if (!g.quiet) std::cout << "destroyed " << name << " (stopped " << r.units.size() << " instances)\n";
    for (const auto& other : r.other_copies)
        std::cerr << "formation: warning: " << other.string() << " also installs app " << name
                  << "; its units come back from there (remove or mask it)\n";
    return r.ok() ? exit_ok : exit_failed;
}

}  // namespace

void add_destroy(CLI::App& root, const Globals& g, Run& run) {
    auto app = std::make_shared<std::string>();
    auto* cmd = root.add_subcommand("destroy", "Stop the app and remove its installed formation");
    cmd->add_option("-a,--app", *app, "An installed app (no formation file needed)");
    cmd->callback([&g, &run, app] { run = [&g, app] { return run_destroy(g, *app); }; });
}

}  // namespace formation::cli
