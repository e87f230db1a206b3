// formation generate -o DIR [--check]: the units the generator would make
// from FILE installed on a host, written into a directory (an ops repo).
// DIR's contents are untrusted; --check writes nothing anywhere.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/app_context.hpp"
#include "cli/diff.hpp"
#include "compile/compile.hpp"
#include "generator/ops_tree.hpp"

namespace formation::cli {

namespace {

struct GenerateOptions {
    std::string out_dir;
    bool check = false;
};

const char* verb_of(generator::TreeChange::Kind k) {
    switch (k) {
        case generator::TreeChange::Kind::create: return "create ";
        case generator::TreeChange::Kind::update: return "update ";
        case generator::TreeChange::Kind::remove: return "remove ";
    }
    return "";
}

int run_generate(const Globals& g, const GenerateOptions& o) {
    LoadedFormation loaded = load_formation(g.file);
    // The same bytes as the generator for this file installed on a host.
    std::string installed_path = host_store(g).paths().installed_path(loaded.formation.app).string();
    UnitSet set = compile(loaded.formation, install_options(g, installed_path));
    try {
        generator::OpsTree tree(o.out_dir, o.check);
        if (!o.check) tree.lock();
        auto changes = tree.plan(set);
        if (o.check) {
            if (changes.empty()) return exit_ok;
            for (const auto& c : changes) std::cout << line_diff(c.path, c.old_content, c.new_content);
            std::cerr << "formation: " << changes.size() << " file" << (changes.size() == 1 ? " is" : "s are")
                      << " stale in " << o.out_dir << "; run `formation generate -o " << o.out_dir << "`\n";
            return exit_failed;
        }
        tree.apply(changes);
        if (g.quiet) return exit_ok;
        if (changes.empty()) std::cout << o.out_dir << ": up to date (" << set.files.size() << " files)\n";
        for (const auto& c : changes) std::cout << "  " << verb_of(c.kind) << c.path << '\n';
    } catch (const generator::TreeError& e) {
        throw CliError(e.what(), exit_failed);
    }
    return exit_ok;
}

}  // namespace

void add_generate(CLI::App& root, const Globals& g, Run& run) {
    auto opts = std::make_shared<GenerateOptions>();
    auto* cmd = root.add_subcommand("generate", "Write the units the generator would make from FILE into a directory");
    cmd->add_option("-o,--output", opts->out_dir, "Directory to write the units into")->required();
    cmd->add_flag("--check", opts->check, "Write nothing; exit 1 with a diff when DIR is stale");
    cmd->callback([&g, &run, opts] { run = [&g, opts] { return run_generate(g, *opts); }; });
}

}  // namespace formation::cli
