// formation scale TYPE=N|+N|-N …: change counts live and persistently, in the
// installed formation (under the app's lock, so concurrent scales all
// land), then in FILE's count lines when FILE is given.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/scope.hpp"
#include "app/count_changes.hpp"
#include "app/count_file.hpp"
#include "app/verbs.hpp"
#include "cli/render_report.hpp"
#include "cli/table.hpp"

namespace formation::cli {

namespace {

struct ScaleOptions {
    std::string app;
    std::vector<std::string> assignments;
};

// FILE was scaled on the host, but its count lines could not follow: what to do.
int file_not_updated(const LoadedFormation& file, const std::string& why,
                     const std::vector<std::pair<std::string, int>>& counts, int rc) {
    const std::string lines = count_lines(counts);
    std::cerr << "formation: " << terminal_safe(why) << ": its count lines were not changed\n"
              << "formation: the installed formation was scaled; set " << lines << " in "
              << terminal_safe(file.path) << " yourself, or scale with -a " << file.formation.app
              << ", which leaves FILE alone\n";
    return rc != exit_ok ? rc : exit_failed;
}

int run_scale(const Globals& g, const ScaleOptions& o) {
    auto changes = app::parse_count_changes(o.assignments);
    // FILE's count lines must be editable: checked before anything changes.
    std::optional<app::CountFile> file;
    if (o.app.empty() && g.app.empty()) file = app::CountFile::open(g.file, changes);
    std::string app = file ? file->loaded().formation.app : resolve_app(g, o.app);
    app::Env env = host_env(g);
    std::vector<std::pair<std::string, int>> counts;
    app::Report r = app::scale(env, app, changes, counts, [&g](const app::Report& p) { print_plan(p, g, false); });
    int rc = print_converged(r, false);
    if (!file) return rc;
    // Keep the user's file in step, count lines only (a link stays a link).
    auto why = file->update(counts);
    return why ? file_not_updated(file->loaded(), *why, counts, rc) : rc;
}

}  // namespace

void add_scale(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<ScaleOptions>();
    auto* cmd = root.add_subcommand("scale", "Change how many instances of process types run (live and persistent)");
    cmd->add_option("-a,--app", opts->app, "An installed app (FILE is then left alone)");
    cmd->add_option("counts", opts->assignments, "TYPE=N, TYPE=+N or TYPE=-N …")->required();
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_scale(g, *opts); }; });
}

}  // namespace formation::cli
