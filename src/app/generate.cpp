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

// The file as the tree knows it: relative to the directory the units are
// written in, so the header is the same wherever the repo is checked out.
std::string relative_source(const std::string& file, const std::string& dir) {
    std::error_code ec;
    auto f = std::filesystem::weakly_canonical(std::filesystem::absolute(file, ec), ec);
    auto d = std::filesystem::weakly_canonical(std::filesystem::absolute(dir, ec), ec);
    auto rel = f.lexically_relative(d);
    return rel.empty() ? f.filename().string() : rel.string();
}

// Units for hosts that may not have formation: no SourcePath= (the file is
// not there), and the helper only where the target names one.
CompileOptions ops_options(bool user, const Formation& f, const std::string& dir, const OpsTarget& target) {
    CompileOptions o = compile_options(user, "");
    o.helper_path = target.helper;
    o.source_name = relative_source(f.source_path, dir);
    return o;
}

std::vector<TreePlan> plan_trees(bool user, const std::string& out_dir, const Formation& f,
                                 std::unique_ptr<generator::OpsTree> root, const OpsTarget& target) {
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
        UnitSet set = compile(share_of(f, h.name), ops_options(user, f, out_dir + "/" + h.name, target));
        auto changes = sub->plan(set);
        plans.push_back({std::move(sub), h.name, std::move(changes), set.files.size(), false});
    }
    UnitSet set;
    if (f.hosts.empty()) {
        set = compile(f, ops_options(user, f, out_dir, target));
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

std::string helper_version() { return FORMATION_VERSION; }

OpsPlan plan_generate(bool user, const Formation& f, const std::string& out_dir, bool check, const OpsTarget& target) {
    std::vector<Diagnostic> errors;
    for (const auto& need : helper_needs(f, false)) {
        const std::string what = need.feature + " in [process." + need.type + "]";
        if (need.installed)
            errors.push_back({need.where, what + " needs the app installed on its hosts (its watcher, " +
                                              health_unit_name(f.app) + ", reads the installed formation): "
                                              "install it there with `formation apply`, whose generator makes "
                                              "these units, or leave it out of an ops tree"});
        else if (target.helper.empty())
            errors.push_back({need.where, what + " needs formation on the hosts the units run on; name where it "
                                                 "is installed there with --helper PATH (formation " +
                                                 helper_version() + " or later)"});
    }
    if (!errors.empty()) throw FormationError(std::move(errors));
    try {
        auto root = std::make_unique<generator::OpsTree>(out_dir, check);
        if (!check) root->lock();
        return OpsPlan{plan_trees(user, out_dir, f, std::move(root), target)};
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
