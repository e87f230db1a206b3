#include "cli/install.hpp"

#include <set>

namespace formation::cli {

Observed observe_files(const systemd::UnitDir& dir, const UnitSet& desired) {
    Observed o;
    o.owned = dir.manifest(desired.app);
    for (const auto& f : desired.files) o.files[f.path] = dir.read_entry(f.path);
    for (const auto& p : o.owned)
        if (!o.files.count(p)) o.files[p] = dir.read_entry(p);
    return o;
}

void install_files(const systemd::UnitDir& dir, const UnitSet& desired, const std::vector<FileChange>& changes,
                   const std::vector<std::string>& old_manifest) {
    std::vector<std::string> final_manifest = owned_paths(desired);
    if (changes.empty() && final_manifest == old_manifest) return;
    std::set<std::string> growing(old_manifest.begin(), old_manifest.end());
    growing.insert(final_manifest.begin(), final_manifest.end());
    dir.write_manifest(desired.app, {growing.begin(), growing.end()});
    std::vector<systemd::UnitDir::Entry> writes;
    for (const auto& c : changes)
        if (c.kind != FileChange::Kind::remove) writes.push_back({c.path, c.content, c.symlink});
    dir.write_many(writes);
    for (const auto& c : changes)
        if (c.kind == FileChange::Kind::remove) dir.remove(c.path);
    dir.write_manifest(desired.app, final_manifest);
}

std::string describe_changes(const std::vector<FileChange>& changes) {
    std::string out;
    for (const auto& c : changes) {
        const char* verb = c.kind == FileChange::Kind::create ? "create " : c.kind == FileChange::Kind::update ? "update " : "remove ";
        out += std::string("  ") + verb + c.path + '\n';
    }
    return out;
}

}  // namespace formation::cli
