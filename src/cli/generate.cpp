// formation generate -o DIR [--check]: write the unit tree for an ops repo.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/common.hpp"
#include "cli/diff.hpp"
#include "cli/install.hpp"
#include "compile/compile.hpp"

namespace formation::cli {

namespace {

struct GenerateOptions {
    std::string out_dir;
    bool check = false;
};

int report_stale(const std::vector<FileChange>& changes, const Observed& observed) {
    for (const auto& c : changes) {
        auto it = observed.files.find(c.path);
        std::string old = it != observed.files.end() && it->second ? *it->second : std::string();
        std::cout << line_diff(c.path, old, c.content);
    }
    std::cerr << "formation: " << changes.size() << " file" << (changes.size() == 1 ? " is" : "s are")
              << " stale; run `formation generate` to update them\n";
    return exit_failed;
}

int run_generate(const Globals& g, const GenerateOptions& o) {
    LoadedFormation loaded = load_formation(g.file);
    UnitSet set = compile(loaded.formation, {g.user, helper_path(false)});
    systemd::UnitDir dir(o.out_dir);
    auto lock = dir.lock(lock_timeout_sec());
    Observed observed = observe_files(dir, set);
    std::vector<std::string> conflicts;
    auto changes = plan_files(set, observed, &conflicts);
    if (!conflicts.empty())
        throw CliError(o.out_dir + "/" + conflicts.front() + " exists and was not written by formation for app " +
                           set.app + "; move it away first",
                       exit_failed);
    if (o.check) return changes.empty() ? exit_ok : report_stale(changes, observed);
    dir.remove_stale_temporaries();
    install_files(dir, set, changes, observed.owned);
    if (changes.empty())
        std::cout << o.out_dir << ": up to date (" << set.files.size() << " files)\n";
    else
        std::cout << describe_changes(changes);
    return exit_ok;
}

}  // namespace

void add_generate(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<GenerateOptions>();
    auto* cmd = root.add_subcommand("generate", "Write the unit files of the formation into a directory");
    cmd->add_option("-o,--output", opts->out_dir, "Directory to write the units into")->required();
    cmd->add_flag("--check", opts->check, "Write nothing; exit 1 with a diff when DIR is stale");
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_generate(g, *opts); }; });
}

}  // namespace formation::cli
