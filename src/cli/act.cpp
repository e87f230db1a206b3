#include "cli/act.hpp"

#include "cli/scope.hpp"
#include "cli/render_report.hpp"

namespace formation::cli {

namespace {

struct Options {
    std::string app;
    std::vector<std::string> types;
    unsigned parallel = 0;
    bool no_release = false;
};

int run_act(const Globals& g, const ActVerb& verb, const Options& o) {
    std::string name = resolve_app(g, o.app);
    app::Env env = host_env(g);
    return print_act(app::act(env, verb.action, name, o.types, o.parallel, !o.no_release), g, verb.done);
}

}  // namespace

void add_act(CLI::App& root, const Globals& g, Run& run, const ActVerb& verb) {
    auto opts = std::make_shared<Options>();
    auto* cmd = root.add_subcommand(verb.name, verb.help);
    cmd->add_option("-a,--app", opts->app, "An installed app (no formation file needed)");
    cmd->add_option("types", opts->types, "Process types (default: all)");
    if (verb.action == app::Action::restart)
        cmd->add_option("--parallel", opts->parallel,
                        "Instances restarted at a time (default: 1; socket = \"shared\": a quarter of the type's count)")
            ->check(CLI::Range(1, 1000));
    if (verb.action == app::Action::restart)
        cmd->add_flag("--no-release", opts->no_release, "Do not run the formation's release command first");
    cmd->callback([&g, &run, opts, verb] { run = [&g, opts, verb] { return run_act(g, verb, *opts); }; });
}

}  // namespace formation::cli
