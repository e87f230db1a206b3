// `generate -o DIR`: the generator's units written into a directory an ops
// repository ships. DIR's contents are untrusted (a clone can hold anything):
// every path is walked from DIR's descriptor without following a symlink, so
// nothing found there makes formation read, write or delete outside DIR.
//
// Ownership needs no state in DIR: a file is the app's when its name is one
// the app's units have (APP.target, APP.slice, APP-TYPE@.service,
// APP-TYPE@.socket, APP-TYPE@N.service.d/50-formation.conf,
// APP-TYPE@N.socket.d/50-formation.conf, *.target.wants/APP.target) and it
// starts with formation's header (a link: points at ../APP.target); so is a
// temporary file an interrupted run left beside one of those names
// (.NAME.formation-XXXXXXXXXXXX). Anything else under such a name is a
// conflict that stops the run. What the app owns in DIR is made exactly the
// new set: a file it owns that the set lacks is removed, with its drop-in
// directory once empty.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "compile/unit_set.hpp"

namespace formation::generator {

class TreeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct TreeChange {
    enum class Kind { create, update, remove };
    Kind kind;
    std::string path;
    std::string old_content;  // update/remove
    std::string new_content;  // create/update
    bool symlink = false;
};

class OpsTree {
public:
    // Opens DIR (creating it unless `read_only`); a missing DIR read-only is empty.
    OpsTree(const std::filesystem::path& dir, bool read_only);
    OpsTree(const OpsTree&) = delete;
    OpsTree& operator=(const OpsTree&) = delete;
    ~OpsTree();

    // DIR/NAME, a directory (not a link) that exists; read-only.
    OpsTree(const OpsTree& parent, const std::string& name);

    // Holds flock on DIR itself for the object's lifetime (no lock file).
    void lock();

    // What writing `set` would change; throws TreeError on a conflict.
    std::vector<TreeChange> plan(const UnitSet& set) const;
    // What removing every file `app` owns here would change (a host's
    // directory once the host has left the formation).
    std::vector<TreeChange> plan_removal(const std::string& app) const;

    // Subdirectories of DIR, not links, whose names a [hosts.NAME] may have.
    std::vector<std::string> host_dirs() const;
    // Makes the directory DIR/NAME unless it exists.
    void make_subdir(const std::string& name) const;
    // Removes the directory DIR/NAME if it is empty (and not a link).
    void remove_if_empty(const std::string& name) const;
    // Carries the changes out: each file atomically (temporary + rename in
    // its own directory), removals last; two syncfs in all, not an fsync per file.
    void apply(const std::vector<TreeChange>& changes) const;

private:
    struct Entry {
        enum class Type { absent, file, link, other } type = Type::absent;
        std::string content;  // file bytes or link target
    };
    Entry read(const std::string& rel) const;
    std::vector<std::string> owned_candidates(const std::string& app) const;
    // Temporary files an interrupted run left for `rel` (".LEAF.formation-XXXXXXXXXXXX").
    std::vector<std::string> leftovers(const std::string& rel) const;
    // *created: the parent itself was just made (so it is empty, on its parent's filesystem).
    int open_parent(const std::string& rel, bool create, std::string* leaf, bool* created = nullptr) const;

    std::filesystem::path dir_;
    int fd_ = -1;
};

}  // namespace formation::generator
