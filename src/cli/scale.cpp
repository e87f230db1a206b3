// formation scale TYPE=N|+N|-N …: change counts live and persistently, in the
// installed formation (under the app's lock, so concurrent scales all
// land), then in FILE's count lines when FILE is given.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <iostream>

#include "cli/app_context.hpp"
#include "app/count_changes.hpp"
#include "app/verbs.hpp"
#include "cli/render_report.hpp"
#include "cli/table.hpp"
#include "formation/count_edit.hpp"
#include "host/atomic_file.hpp"

namespace formation::cli {

namespace {

struct ScaleOptions {
    std::string app;
    std::vector<std::string> assignments;
};

// FILE, read through the descriptor that a later edit checks against
// (`edited` stays empty for -f -, standard input).
LoadedFormation load_file(const Globals& g, std::optional<host::EditedFile>& edited) {
    if (g.file == "-") return load_formation(g.file);
    try {
        edited = host::EditedFile::open(g.file);
    } catch (const host::DiskError& e) {
        throw CliError(e.what(), exit_usage);
    }
    if (!edited) throw CliError(g.file + ": no such file (use -f FILE, or -a APP for an installed app)", exit_usage);
    return parse_loaded(g.file, edited->text());
}

// Why FILE's count lines must not be edited, decided before anything changes:
// root edits no file that another user could swap for a link meanwhile.
std::optional<std::string> edit_refusal(const std::optional<host::EditedFile>& edited) {
    if (!edited) return "-f -: standard input has no count lines to edit";
    if (::geteuid() != 0) return std::nullopt;
    auto why = edited->controlled_by_other(0);
    if (!why) return std::nullopt;
    return *why + ", and root edits no file that another user controls (it could be swapped for a link to "
                  "any file)";
}

// FILE's count lines follow the installed formation's; rc, or exit_failed
// with what to do when FILE could not be edited.
int update_file(const LoadedFormation& file, std::optional<host::EditedFile>& edited,
                const std::optional<std::string>& refusal, const std::vector<std::pair<std::string, int>>& counts,
                int rc) {
    std::string updated = set_counts(file.text, file.path, counts);
    if (updated == file.text) return rc;
    std::string why;
    if (refusal) {
        why = *refusal;
    } else {
        try {
            edited->replace(updated);
            return rc;
        } catch (const host::DiskError& e) {
            why = e.what();
        }
    }
    std::string lines;
    for (const auto& [type, n] : counts)
        lines += (lines.empty() ? "" : ", ") + ("count = " + std::to_string(n)) + " under [process." + type + "]";
    std::cerr << "formation: " << terminal_safe(why) << ": its count lines were not changed\n"
              << "formation: the installed formation was scaled; set " << lines << " in "
              << terminal_safe(file.path) << " yourself, or scale with -a " << file.formation.app
              << ", which leaves FILE alone\n";
    return rc != exit_ok ? rc : exit_failed;
}

int run_scale(const Globals& g, const ScaleOptions& o) {
    auto changes = app::parse_count_changes(o.assignments);
    bool with_file = o.app.empty() && g.app.empty();
    std::optional<host::EditedFile> edited;
    std::optional<LoadedFormation> file;
    if (with_file) file = load_file(g, edited);
    std::string app = with_file ? file->formation.app : resolve_app(g, o.app);
    // FILE's count lines must be editable: checked before anything changes.
    std::optional<std::string> refusal;
    if (file) {
        select_types(file->formation, app::types_of(changes));
        set_counts(file->text, file->path, app::resolve_counts(changes, file->formation));
        refusal = edit_refusal(edited);
    }
    app::Env env = host_env(g);
    std::vector<std::pair<std::string, int>> counts;
    app::Report r = app::scale(env, app, changes, counts, [&g](const app::Report& p) { print_plan(p, g, false); });
    int rc = print_converged(r, false);
    // Keep the user's file in step, count lines only (a link stays a link).
    return file ? update_file(*file, edited, refusal, counts, rc) : rc;
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
