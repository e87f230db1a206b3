// formation reload [TYPE…]: a reload job (ExecReload=, which sends the
// type's reload_signal to the main process) for every running instance of
// the named types, or of every type that has a reload_signal. Nothing is
// restarted: each process keeps its PID. Under the app's lock, as restart.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/verbs.hpp"
#include "cli/scope.hpp"

namespace formation::cli {

namespace {

struct Options {
    std::string app;
    std::vector<std::string> types;
};

int run(const Globals& g, const Options& o) {
    std::string name = resolve_app(g, o.app);
    app::Env env = host_env(g);
    app::Report r = app::reload(env, name, o.types);
    if (r.plan.reload_instances.empty()) {
        if (!g.quiet) std::cout << "no running instance of " << name << " to reload\n";
        return exit_ok;
    }
    for (std::size_t i = 0; i < r.jobs.reloaded.size(); ++i) {
        const auto& out = r.jobs.reloaded[i];
        if (!out.ok()) std::cerr << "formation: reload " << out.unit << ": " << out.result << "\n";
        else if (!g.quiet) std::cout << "reloaded " << out.unit << " (" << r.reload_signals[i] << ")\n";
    }
    return r.ok() ? exit_ok : exit_failed;
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
