// formation check: validate the formation file; errors as file:line:col.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.hpp"
#include "formation/parse.hpp"

namespace formation::cli {

namespace {

int run_check(const Globals& g) {
    LoadedFormation loaded = load_formation(g.file);
    for (const auto& d : lint_formation(loaded.formation)) std::cerr << format_diagnostic(d, loaded.text, "warning");
    const Formation& f = loaded.formation;
    int instances = 0;
    for (const auto& p : f.processes) instances += p.count;
    std::cout << g.file << ": ok: app " << f.app << ", " << f.processes.size() << " process type"
              << (f.processes.size() == 1 ? "" : "s") << ", " << instances << " instance"
              << (instances == 1 ? "" : "s") << '\n';
    return exit_ok;
}

}  // namespace

void add_check(CLI::App& root, const Globals& g, Run& run) {
    auto* cmd = root.add_subcommand("check", "Validate the formation file (errors as FILE:LINE:COL)");
    cmd->callback([&g, &run] { run = [&g] { return run_check(g); }; });
}

}  // namespace formation::cli
