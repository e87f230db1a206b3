// `generate -o DIR`: the generator's units written into a directory an ops
// repository ships. DIR's contents are untrusted (a clone can hold anything):
// every path is walked from DIR's descriptor without following a symlink, so
// nothing found there makes formation read, write or delete outside DIR.
//
// Ownership needs no state in DIR: a file is the app's when its name is one
// the app's units have (APP.target, APP-TYPE@.service,
// APP-TYPE@N.service.d/50-formation.conf, *.target.wants/APP.target) and it
// starts with formation's header (a link: points at ../APP.target). Anything
// else under such a name is a conflict that stops the run.
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

    // Holds flock on DIR itself for the object's lifetime (no lock file).
    void lock();

    // What writing `set` would change; throws TreeError on a conflict.
    std::vector<TreeChange> plan(const UnitSet& set) const;
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
    // *created: the parent itself was just made (so it is empty, on its parent's filesystem).
    int open_parent(const std::string& rel, bool create, std::string* leaf, bool* created = nullptr) const;

    std::filesystem::path dir_;
    int fd_ = -1;
};

}  // namespace formation::generator
