// formation generate -o DIR [--check]: the units the generator would make
// from FILE installed on a host, written into a directory (an ops repo).
// DIR's contents are untrusted; --check writes nothing anywhere.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "cli/app_context.hpp"
#include "cli/diff.hpp"
#include "compile/compile.hpp"
#include "formation/hosts.hpp"
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

// `shown`: what each changed path is prefixed with ("alpha/" for a host's).
int generate_into(const Globals& g, const std::string& out_dir, const UnitSet& set, bool check,
                  const std::string& shown = {}) {
    GenerateOptions o{out_dir, check};
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
        for (const auto& c : changes) std::cout << "  " << verb_of(c.kind) << shown << c.path << '\n';
    } catch (const generator::TreeError& e) {
        throw CliError(e.what(), exit_failed);
    }
    return exit_ok;
}

// With [hosts], DIR/NAME holds what host NAME's generator makes from its share.
int run_generate(const Globals& g, const GenerateOptions& o) {
    LoadedFormation loaded = load_formation(g.file);
    // The same bytes as the generator for this file installed on a host.
    std::string installed_path = host_store(g).paths().installed_path(loaded.formation.app).string();
    const Formation& f = loaded.formation;
    if (f.hosts.empty()) return generate_into(g, o.out_dir, compile(f, install_options(g, installed_path)), o.check);
    int rc = exit_ok;
    for (const auto& h : f.hosts) {
        // DIR's contents are untrusted: a host's directory must not lead elsewhere.
        std::string dir = o.out_dir + "/" + h.name;
        std::error_code ec;
        if (std::filesystem::is_symlink(dir, ec))
            throw CliError(dir + " is a symbolic link; formation writes each host's units into a directory there", exit_failed);
        rc = std::max(rc, generate_into(g, dir, compile(share_of(f, h.name), install_options(g, installed_path)), o.check,
                                        h.name + "/"));
    }
    return rc;
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
