// formation scale TYPE=N …: change counts live and persistently.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/app_context.hpp"
#include "cli/converge.hpp"
#include "formation/count_edit.hpp"
#include "systemd/unit_dir.hpp"

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

int run_scale(const Globals& g, const ScaleOptions& o) {
    auto counts = parse_assignments(o.assignments);
    // The base is the formation as applied, so scaling changes the counts and
    // nothing else, even when FILE has other edits not yet applied.
    LoadedFormation file;
    std::string app = o.app.empty() ? g.app : o.app;
    bool have_file = app.empty();
    if (have_file) file = load_formation(g.file);
    if (have_file) app = file.formation.app;
    systemd::UnitDir dir(unit_dir_path(g));
    LoadedFormation base = dir.stored_formation(app) ? resolve_formation(g, app) : file;
    if (base.text.empty()) throw CliError("app " + app + " is not installed", exit_usage);
    select_types(base.formation, [&] {
        std::vector<std::string> types;
        for (const auto& [t, n] : counts) types.push_back(t);
        return types;
    }());
    std::string path = base.path;
    LoadedFormation scaled = parse_loaded(path, set_counts(base.text, path, counts));
    scaled.formation.source_path = base.formation.source_path;
    int rc = converge(g, scaled, {});
    if (have_file) {
        // Keep the user's file in step: only the count lines change.
        std::string updated = set_counts(file.text, file.path, counts);
        if (updated != file.text) systemd::replace_file(file.path, updated);
    }
    return rc;
}

}  // namespace

void add_scale(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<ScaleOptions>();
    auto* cmd = root.add_subcommand("scale", "Change how many instances of process types run (live and persistent)");
    cmd->add_option("-a,--app", opts->app, "An installed app (no formation file needed)");
    cmd->add_option("counts", opts->assignments, "TYPE=N …")->required();
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_scale(g, *opts); }; });
}

}  // namespace formation::cli
