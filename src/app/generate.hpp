// `formation generate -o DIR`: the units the generator would make from a
// formation installed on this host (or, with [hosts], on each of its hosts,
// in DIR/HOST), planned against DIR (an ops repo, whose contents are
// untrusted) and written there. Everything is planned before anything is
// written, so a conflict in one directory leaves every directory as it was.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "formation/model.hpp"
#include "generator/ops_tree.hpp"

namespace formation::app {

// One directory's share of the run: DIR itself, or DIR/NAME for host NAME.
struct TreePlan {
    std::unique_ptr<generator::OpsTree> tree;  // read-only until written
    std::string host;                          // empty: DIR itself
    std::vector<generator::TreeChange> changes;
    std::size_t files = 0;  // how many files the formation has there
    bool gone = false;      // a host's directory the formation no longer has
    std::string shown() const { return host.empty() ? "" : host + "/"; }
};

struct OpsPlan {
    std::vector<TreePlan> trees;  // DIR itself last
    std::size_t stale() const;    // files to create, update or remove
    std::size_t files() const;    // files the formation has in DIR
};

// What the app owns in `out_dir` ends up exactly the new set: with [hosts],
// units the app left in DIR itself (from before it had hosts) and in the
// directory of a host it no longer has are removed too; without, those of
// every host directory. `check`: DIR is only read, and not locked. Throws
// Error (exit_failed) for DIR that cannot be read or locked, or a host's
// directory that is a link.
// The hosts an ops tree is for. `helper`: where formation is installed on
// them (generate --helper PATH), which the units then run for what systemd
// cannot do alone (compile/compile.hpp helper_needs()); empty: they have no
// formation, so ready = "port" is checked with /bin/sh and grep, and a
// formation that needs more is refused.
struct OpsTarget {
    std::string helper;
};

// The version a tree made with a helper needs on its hosts (this one).
std::string helper_version();

// ... Throws FormationError (every key that needs a helper, at its
// file:line:col) when `target` has none and the formation needs one.
OpsPlan plan_generate(bool user, const Formation& f, const std::string& out_dir, bool check,
                      const OpsTarget& target);

// Writes the plan: each host's directory made and opened from DIR's
// descriptor, never through a link; DIR last, which holds the lock and
// loses a host's directory once it is empty. Throws Error (exit_failed).
void write_generate(OpsPlan& plan);

}  // namespace formation::app
