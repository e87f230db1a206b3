// formation apply [--dry-run]: install FILE as the app's formation, reload
// (the generator makes the units) and converge the running instances.
#include <CLI/CLI.hpp>

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "app/verbs.hpp"
#include "cli/scope.hpp"
#include "cli/render_report.hpp"
#include "formation/parse.hpp"
#include "formation/values.hpp"

namespace formation::cli {

namespace {

// A user manager without lingering runs only while the user has a session:
// the app would stop at logout and not start at boot.
void note_lingering(const std::string& app) {
    const passwd* pw = ::getpwuid(::getuid());
    if (!pw) return;
    std::string user = pw->pw_name;
    std::error_code ec;
    if (std::filesystem::exists("/var/lib/systemd/linger/" + user, ec)) return;
    std::cerr << "formation: note: lingering is off for " << user << ": " << app << " stops when " << user
              << "'s last session ends and does not start at boot; `loginctl enable-linger " << user
              << "` keeps it running\n";
}

struct ApplyOptions {
    bool dry_run = false;
    std::string settle = "500ms";
    unsigned parallel = 0;
    bool json = false;
    bool no_revert = false;
    bool no_release = false;
};

int run_apply(const Globals& g, const ApplyOptions& o) {
    LoadedFormation loaded = load_formation(g.file);
    if (!g.quiet)
        for (const auto& d : lint_formation(loaded.formation)) std::cerr << format_diagnostic(d, loaded.text, "warning");
    auto settle = parse_duration(o.settle);
    if (!settle) throw CliError("--settle: \"" + o.settle + "\" is not a duration (e.g. 500ms, 2s)", exit_usage);
    app::Env env = host_env(g);
    app::Report r = app::converge(env, loaded.formation.app, [&loaded](const auto&) { return loaded; },
                                  {o.dry_run, *settle, o.parallel, !o.no_revert, !o.no_release, true, invoking_user(), ""}, [&](const app::Report& p) { print_plan(p, g, o.json); });
    int rc = print_converged(r, o.json);
    if (g.user && !o.dry_run && !g.quiet) note_lingering(loaded.formation.app);
    return rc;
}

}  // namespace

void add_apply(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<ApplyOptions>();
    auto* cmd = root.add_subcommand("apply", "Install FILE as the app's formation and converge the running instances");
    cmd->add_flag("--dry-run", opts->dry_run, "Print the plan; change nothing (no lock, no write, no root needed)");
    cmd->add_option("--settle", opts->settle, "How long started instances must stay up to count as started")
        ->capture_default_str();
    cmd->add_option("--parallel", opts->parallel,
                    "Instances restarted at a time (default: 1; socket = \"shared\": a quarter of the type's count)")
        ->check(CLI::Range(1, 1000));
    cmd->add_flag("--no-revert", opts->no_revert, "When the roll fails, stop and report; do not go back to the previous formation");
    cmd->add_flag("--no-release", opts->no_release, "Do not run the formation's release command");
    cmd->add_flag("--json", opts->json, "Print the plan (and each action's result) as one JSON object");
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_apply(g, *opts); }; });
}

}  // namespace formation::cli
