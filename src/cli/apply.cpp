// formation apply [--dry-run]: install the units and converge the running system.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/converge.hpp"
#include "formation/parse.hpp"
#include "formation/values.hpp"

namespace formation::cli {

namespace {

struct ApplyOptions {
    bool dry_run = false;
    std::string settle = "500ms";
};

int run_apply(const Globals& g, const ApplyOptions& o) {
    LoadedFormation loaded = load_formation(g.file);
    for (const auto& d : lint_formation(loaded.formation)) std::cerr << format_diagnostic(d, loaded.text, "warning");
    auto settle = parse_duration(o.settle);
    if (!settle) throw CliError("--settle: \"" + o.settle + "\" is not a duration (e.g. 500ms, 2s)", exit_usage);
    return converge(g, loaded, {o.dry_run, *settle, false});
}

}  // namespace

void add_apply(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<ApplyOptions>();
    auto* cmd = root.add_subcommand("apply", "Install the units and converge: start, stop and restart what changed");
    cmd->add_flag("--dry-run", opts->dry_run, "Print the plan; change nothing");
    cmd->add_option("--settle", opts->settle, "How long started instances must stay up to count as started")
        ->capture_default_str();
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_apply(g, *opts); }; });
}

}  // namespace formation::cli
