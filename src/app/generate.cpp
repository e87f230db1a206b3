#include "app/generate.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "app/context.hpp"
#include "app/error.hpp"
#include "app/installed.hpp"
#include "compile/compile.hpp"
#include "formation/hosts.hpp"

namespace formation::app {

namespace {

std::vector<TreePlan> plan_trees(bool user, const std::string& out_dir, const Formation& f,
                                 std::unique_ptr<generator::OpsTree> root) {
    const std::string installed_path = host_store(user).paths().installed_path(f.app).string();
    std::vector<TreePlan> plans;
    std::set<std::string> hosts;
    for (const auto& h : f.hosts) {
        // DIR's contents are untrusted: a host's directory must not lead elsewhere.
        std::string dir = out_dir + "/" + h.name;
        std::error_code ec;
        if (std::filesystem::is_symlink(dir, ec))
            throw Error(dir + " is a symbolic link; formation writes each host's units into a directory there",
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
                          : std::make_unique<generator::OpsTree>(out_dir + "/" + h.name, true);
        UnitSet set = compile(share_of(f, h.name), compile_options(user, installed_path));
        auto changes = sub->plan(set);
        plans.push_back({std::move(sub), h.name, std::move(changes), set.files.size(), false});
    }
    UnitSet set;
    if (f.hosts.empty()) {
        set = compile(f, compile_options(user, installed_path));
    } else {
        set.app = f.app;
        set.app_target = app_target_name(f.app);
    }
    auto changes = root->plan(set);
    plans.push_back({std::move(root), "", std::move(changes), set.files.size(), false});
    return plans;
}

}  // namespace

std::size_t OpsPlan::stale() const {
    std::size_t n = 0;
    for (const auto& p : trees) n += p.changes.size();
    return n;
}

std::size_t OpsPlan::files() const {
    std::size_t n = 0;
    for (const auto& p : trees) n += p.files;
    return n;
}

OpsPlan plan_generate(bool user, const Formation& f, const std::string& out_dir, bool check) {
    try {
        auto root = std::make_unique<generator::OpsTree>(out_dir, check);
        if (!check) root->lock();
        return OpsPlan{plan_trees(user, out_dir, f, std::move(root))};
    } catch (const generator::TreeError& e) {
        throw Error(e.what(), exit_failed);
    }
}

void write_generate(OpsPlan& plan) {
    try {
        const generator::OpsTree& root = *plan.trees.back().tree;
        for (auto& p : plan.trees) {
            if (!p.host.empty() && !p.gone) {
                root.make_subdir(p.host);
                p.tree = std::make_unique<generator::OpsTree>(root, p.host);
            }
            p.tree->apply(p.changes);
            if (p.gone) root.remove_if_empty(p.host);
        }
    } catch (const generator::TreeError& e) {
        throw Error(e.what(), exit_failed);
    }
}

}  // namespace formation::app
