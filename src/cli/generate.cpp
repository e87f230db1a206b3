// formation generate -o DIR [--check]: the units the generator would make
// from FILE installed on a host, written into a directory (an ops repo).
// DIR's contents are untrusted; --check writes nothing anywhere.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

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

// One directory's share of the run: DIR itself, or DIR/NAME for host NAME.
struct TreePlan {
    std::unique_ptr<generator::OpsTree> tree;  // read-only until written
    std::string host;                          // empty: DIR itself
    std::vector<generator::TreeChange> changes;
    std::size_t files = 0;  // how many files the formation has there
    bool gone = false;      // a host's directory the formation no longer has
    std::string shown() const { return host.empty() ? "" : host + "/"; }
};

// What the app owns in DIR ends up exactly the new set: with [hosts], units
// the app left in DIR itself (from before it had hosts) and in the
// directory of a host it no longer has are removed too; without, those of
// every host directory. DIR itself comes last.
std::vector<TreePlan> plan_trees(const Globals& g, const GenerateOptions& o, const Formation& f,
                                 std::unique_ptr<generator::OpsTree> root) {
    const std::string installed_path = host_store(g).paths().installed_path(f.app).string();
    std::vector<TreePlan> plans;
    std::set<std::string> hosts;
    for (const auto& h : f.hosts) {
        // DIR's contents are untrusted: a host's directory must not lead elsewhere.
        std::string dir = o.out_dir + "/" + h.name;
        std::error_code ec;
        if (std::filesystem::is_symlink(dir, ec))
            throw CliError(dir + " is a symbolic link; formation writes each host's units into a directory there",
                           exit_failed);
        hosts.insert(h.name);
    }
    const auto existing = root->host_dirs();
    for (const auto& name : existing) {
        if (hosts.count(name)) continue;
        auto sub = std::make_unique<generator::OpsTree>(*root, name);
        auto changes = sub->plan_removal(f.app);
        if (!changes.empty()) plans.push_back({std::move(sub), name, std::move(changes), 0, true});
    }
    for (const auto& h : f.hosts) {
        bool exists = std::find(existing.begin(), existing.end(), h.name) != existing.end();
        auto sub = exists ? std::make_unique<generator::OpsTree>(*root, h.name)
                          : std::make_unique<generator::OpsTree>(o.out_dir + "/" + h.name, true);
        UnitSet set = compile(share_of(f, h.name), install_options(g, installed_path));
        auto changes = sub->plan(set);
        plans.push_back({std::move(sub), h.name, std::move(changes), set.files.size(), false});
    }
    UnitSet set;
    if (f.hosts.empty()) {
        set = compile(f, install_options(g, installed_path));
    } else {
        set.app = f.app;
        set.app_target = app_target_name(f.app);
    }
    auto changes = root->plan(set);
    plans.push_back({std::move(root), "", std::move(changes), set.files.size(), false});
    return plans;
}

// Each host's directory is made and opened from DIR's descriptor, never
// through a link; DIR last, which holds the lock and loses a host's
// directory once it is empty.
void write_trees(std::vector<TreePlan>& plans) {
    const generator::OpsTree& root = *plans.back().tree;
    for (auto& p : plans) {
        if (!p.host.empty() && !p.gone) {
            root.make_subdir(p.host);
            p.tree = std::make_unique<generator::OpsTree>(root, p.host);
        }
        p.tree->apply(p.changes);
        if (p.gone) root.remove_if_empty(p.host);
    }
}

// Everything is planned before anything is written, so a conflict in one
// directory leaves every directory as it was.
int run_generate(const Globals& g, const GenerateOptions& o) {
    LoadedFormation loaded = load_formation(g.file);
    std::vector<TreePlan> plans;
    try {
        auto root = std::make_unique<generator::OpsTree>(o.out_dir, o.check);
        if (!o.check) root->lock();
        plans = plan_trees(g, o, loaded.formation, std::move(root));
    } catch (const generator::TreeError& e) {
        throw CliError(e.what(), exit_failed);
    }
    std::size_t stale = 0, files = 0;
    for (const auto& p : plans) {
        stale += p.changes.size();
        files += p.files;
    }
    if (o.check) {
        if (stale == 0) return exit_ok;
        for (const auto& p : plans)
            for (const auto& c : p.changes) std::cout << line_diff(p.shown() + c.path, c.old_content, c.new_content);
        std::cerr << "formation: " << stale << " file" << (stale == 1 ? " is" : "s are") << " stale in " << o.out_dir
                  << "; run `formation generate -o " << o.out_dir << "`\n";
        return exit_failed;
    }
    try {
        write_trees(plans);
    } catch (const generator::TreeError& e) {
        throw CliError(e.what(), exit_failed);
    }
    if (g.quiet) return exit_ok;
    if (stale == 0) std::cout << o.out_dir << ": up to date (" << files << " files)\n";
    for (const auto& p : plans)
        for (const auto& c : p.changes) std::cout << "  " << verb_of(c.kind) << p.shown() << c.path << '\n';
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
