// The unit directory on disk: atomic writes, a lock that serializes formation
// commands, and the exact list of files each app owns (its manifest).
// Layout:  DIR/<unit files>   DIR/.formation/lock
//          DIR/.formation/APP.manifest   DIR/.formation/APP.toml (as applied)
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace formation::systemd {

class DiskError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class UnitDir {
public:
    explicit UnitDir(std::filesystem::path root);
    const std::filesystem::path& root() const { return root_; }

    // An exclusive lock on the directory for as long as it lives.
    class Lock {
    public:
        explicit Lock(int fd) : fd_(fd) {}
        Lock(Lock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
        Lock(const Lock&) = delete;
        Lock& operator=(const Lock&) = delete;
        Lock& operator=(Lock&&) = delete;
        ~Lock();

    private:
        int fd_;
    };
    // Waits up to `timeout_sec` for another formation command to finish.
    Lock lock(int timeout_sec = 60) const;

    // Relative paths; nullopt when the file does not exist.
    std::optional<std::string> read(const std::string& rel) const;
    // Files and symlinks, each replaced atomically: temporary files, one
    // file-system sync, renames over the old ones, directory syncs: old or
    // new, never partial.
    struct Entry {
        std::string path;
        std::string content;  // a link's target when symlink
        bool symlink = false;
    };
    void write_many(const std::vector<Entry>& entries) const;
    // A symlink's target, a file's content; nullopt when absent.
    std::optional<std::string> read_entry(const std::string& rel) const;
    // Removes the file, and its "*.d" directory when that is left empty.
    void remove(const std::string& rel) const;

    // Temporary files an interrupted write left behind (".NAME.formation-XXXXXX").
    // Call with the lock held.
    void remove_stale_temporaries() const;

    std::vector<std::string> manifest(const std::string& app) const;  // sorted; empty if none
    void write_manifest(const std::string& app, const std::vector<std::string>& paths) const;
    std::optional<std::string> stored_formation(const std::string& app) const;
    // The text as applied, and the path it was read from (named in unit
    // headers, so units from the stored copy are byte-identical).
    void store_formation(const std::string& app, std::string_view toml, const std::string& source_path) const;
    std::string stored_source_path(const std::string& app) const;
    void forget(const std::string& app) const;  // drops manifest and stored formation
    std::vector<std::string> apps() const;      // apps with a manifest, sorted

private:
    std::filesystem::path root_;
    std::filesystem::path state_dir() const { return root_ / ".formation"; }
};

// Atomic write of any file (used for the formation file by `scale`).
void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode = 0644);
std::optional<std::string> read_file(const std::filesystem::path& path);
// Atomic replacement of a user's file that keeps its mode and owner
// (a 0600 formation.toml with inline env must stay 0600).
void replace_file(const std::filesystem::path& path, std::string_view content);

}  // namespace formation::systemd
