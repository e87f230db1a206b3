// formation scale TYPE=N …: change counts live and persistently, in the
// installed formation (under the app's lock, so concurrent scales all
// land), then in FILE's count lines when FILE is given.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/app_context.hpp"
#include "cli/converge.hpp"
#include "formation/count_edit.hpp"
#include "host/atomic_file.hpp"

namespace formation::cli {

namespace {

struct ScaleOptions {
    std::string app;
    std::vector<std::string> assignments;
};

std::vector<std::pair<std::string, int>> parse_assignments(const std::vector<std::string>& args) {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& a : args) {
        auto eq = a.find('=');
        std::string type = a.substr(0, eq);
        std::string n = eq == std::string::npos ? "" : a.substr(eq + 1);
        bool digits = !n.empty() && n.size() <= 4 && n.find_first_not_of("0123456789") == std::string::npos;
        if (type.empty() || !digits || std::stoi(n) > 1000)
            throw CliError("scale: \"" + a + "\" is not TYPE=N with N from 0 to 1000", exit_usage);
        out.emplace_back(type, std::stoi(n));
    }
    return out;
}

std::vector<std::string> types_of(const std::vector<std::pair<std::string, int>>& counts) {
    std::vector<std::string> types;
    for (const auto& [t, n] : counts) types.push_back(t);
    return types;
}

int run_scale(const Globals& g, const ScaleOptions& o) {
    auto counts = parse_assignments(o.assignments);
    bool with_file = o.app.empty() && g.app.empty();
    std::optional<LoadedFormation> file;
    if (with_file) file = load_formation(g.file);
    std::string app = with_file ? file->formation.app : resolve_app(g, o.app);
    // FILE's new text first: a FILE whose count lines cannot be edited is
    // refused before anything changes.
    std::optional<std::string> updated;
    if (file) {
        select_types(file->formation, types_of(counts));
        updated = set_counts(file->text, file->path, counts);
    }
    int rc = converge(g, app, [&](const std::optional<host::InstalledFile>& installed) {
        if (!installed) throw CliError("app " + app + " is not installed; `formation apply` installs it first", exit_usage);
        LoadedFormation base = parse_loaded(installed->path.string(), installed->text);
        select_types(base.formation, types_of(counts));
        // Only the count lines change: comments, layout and the rest stay.
        try {
            return parse_loaded(installed->path.string(), set_counts(base.text, base.path, counts));
        } catch (const FormationError& e) {
            throw InvalidFormation{e, base.text};
        }
    }, {});
    // Keep the user's file in step, count lines only (a link stays a link).
    if (file && *updated != file->text) host::replace_file(file->path, *updated);
    return rc;
}

}  // namespace

void add_scale(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<ScaleOptions>();
    auto* cmd = root.add_subcommand("scale", "Change how many instances of process types run (live and persistent)");
    cmd->add_option("-a,--app", opts->app, "An installed app (FILE is then left alone)");
    cmd->add_option("counts", opts->assignments, "TYPE=N …")->required();
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_scale(g, *opts); }; });
}

}  // namespace formation::cli
