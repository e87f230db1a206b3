// formation scale TYPE=N|+N|-N …: change counts live and persistently, in the
// installed formation (under the app's lock, so concurrent scales all
// land), then in FILE's count lines when FILE is given.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/app_context.hpp"
#include "cli/converge.hpp"
#include "cli/count_changes.hpp"
#include "formation/count_edit.hpp"
#include "host/atomic_file.hpp"

namespace formation::cli {

namespace {

struct ScaleOptions {
    std::string app;
    std::vector<std::string> assignments;
};

int run_scale(const Globals& g, const ScaleOptions& o) {
    auto changes = parse_count_changes(o.assignments);
    bool with_file = o.app.empty() && g.app.empty();
    std::optional<LoadedFormation> file;
    if (with_file) file = load_formation(g.file);
    std::string app = with_file ? file->formation.app : resolve_app(g, o.app);
    // FILE's count lines must be editable: checked before anything changes.
    if (file) {
        select_types(file->formation, types_of(changes));
        set_counts(file->text, file->path, resolve_counts(changes, file->formation));
    }
    // The counts as made from the installed formation (TYPE=+N counts from
    // there, under the lock, so concurrent `scale web=+1` both land).
    std::vector<std::pair<std::string, int>> counts;
    int rc = converge(g, app, [&](const std::optional<host::InstalledFile>& installed) {
        if (!installed) throw CliError("app " + app + " is not installed; `formation apply` installs it first", exit_usage);
        LoadedFormation base = parse_loaded(installed->path.string(), installed->text);
        select_types(base.formation, types_of(changes));
        counts = resolve_counts(changes, base.formation);
        // Only the count lines change: comments, layout and the rest stay.
        try {
            return parse_loaded(installed->path.string(), set_counts(base.text, base.path, counts));
        } catch (const FormationError& e) {
            throw InvalidFormation{e, base.text};
        }
    }, {});
    // Keep the user's file in step, count lines only (a link stays a link).
    if (file) {
        std::string updated = set_counts(file->text, file->path, counts);
        if (updated != file->text) host::replace_file(file->path, updated);
    }
    return rc;
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
