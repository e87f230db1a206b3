// formation rollback [-a APP] [N]: apply release N again (default: the one
// before the last), as apply would (plan, health, revert), without the
// release command; recorded as a new release.
#include <CLI/CLI.hpp>

#include "app/verbs.hpp"
#include "cli/render_report.hpp"
#include "cli/scope.hpp"

namespace formation::cli {

namespace {

struct RollbackOptions {
    std::string app;
    unsigned number = 0;  // 0: the one before the last
    bool no_revert = false;
    bool json = false;
};

int run_rollback(const Globals& g, const RollbackOptions& o) {
    std::string app = resolve_app(g, o.app);
    app::Env env = host_env(g);
    app::ConvergeOptions c;
    c.revert = !o.no_revert;
    c.who = invoking_user();
    std::optional<unsigned> n;
    if (o.number) n = o.number;
    app::Report r = app::rollback(env, app, n, c, [&](const app::Report& p) { print_plan(p, g, o.json); });
    return print_converged(r, o.json);
}

}  // namespace

void add_rollback(CLI::App& root, const Globals& g, Run& run) {
    auto o = std::make_shared<RollbackOptions>();
    auto* cmd = root.add_subcommand("rollback", "Apply release N again (default: the one before the last)");
    cmd->add_option("-a,--app", o->app, "An installed app (no formation file needed)");
    cmd->add_option("release", o->number, "The release number, as `formation releases` lists it")
        ->check(CLI::Range(1u, 4294967295u));
    cmd->add_flag("--no-revert", o->no_revert, "When the roll fails, stop and report instead of going back");
    cmd->add_flag("--json", o->json, "Print the plan (and each action's result) as one JSON object");
    cmd->callback([&g, &run, o] { run = [&g, o] { return run_rollback(g, *o); }; });
}

}  // namespace formation::cli
