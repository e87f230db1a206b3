// Whole-file reads and atomic replacements on the local disk: a temporary
// file beside the target, fsync, rename, directory fsync. A reader sees the
// old bytes or the new ones, never a mix. Files are named by path once; the
// write goes through the directory's descriptor, so a name swapped for a
// link meanwhile is never written through.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace formation::host {

class DiskError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The file is no longer the one that was read (replaced, moved, made a link).
class FileChanged : public DiskError {
public:
    using DiskError::DiskError;
};

// Largest file formation reads (a formation file, a Procfile, an env file).
constexpr std::size_t max_input_bytes = 1024 * 1024;

// nullopt when the file does not exist. Reads at most `limit` bytes and
// throws DiskError past it (so -f /dev/zero ends at once).
std::optional<std::string> read_file(const std::filesystem::path& path, std::size_t limit = max_input_bytes);

// Writes all of `data` to `fd` (retrying short writes and EINTR); throws
// DiskError naming `path`.
void write_all(int fd, std::string_view data, const std::filesystem::path& path);

// Formation's own files (the installed copies): whatever is at `path` is
// replaced, a link by a file.
void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode = 0644);

// A new file at `path` (import's output), with `mode` from its creation on.
// Without `replace`, a name that exists, a link included, is an error
// (DiskError) and nothing is written, also when it appeared since the
// caller looked; with it, only a regular file is replaced. Never writes
// through a link.
void create_file(const std::filesystem::path& path, std::string_view content, unsigned mode, bool replace);

// A user's file edited in place (scale's count lines). The path is resolved
// once, when the file is read: given a link, its target is what is read and
// later replaced, and the link stays a link. From then on the file is its
// directory's descriptor, its name there, and its device and inode: when the
// name no longer refers to that file, replace() writes nothing.
class EditedFile {
public:
    // nullopt when `path` does not exist. DiskError when it cannot be read,
    // is not a regular file, or is over `limit`.
    static std::optional<EditedFile> open(const std::filesystem::path& path, std::size_t limit = max_input_bytes);

    EditedFile(EditedFile&& other) noexcept;
    EditedFile& operator=(EditedFile&& other) noexcept;
    EditedFile(const EditedFile&) = delete;
    EditedFile& operator=(const EditedFile&) = delete;
    ~EditedFile();

    const std::string& text() const { return text_; }
    const std::filesystem::path& path() const { return path_; }  // as given

    // Who other than `uid` (and root) could swap the file for a link: the
    // owner of the file, of the link that names it, or of a directory
    // holding either, or anyone when such a directory is writable by group
    // or others without the sticky bit. A phrase naming the first found
    // ("formation.toml is in /home/alice/app, a directory owned by alice"),
    // or nullopt.
    std::optional<std::string> controlled_by_other(uid_t uid) const;

    // Replaces the file's bytes with `content`, keeping its mode and owner
    // (set on the new file's descriptor, never by path), if its name in its
    // directory still refers to the file that was read. FileChanged
    // otherwise, with nothing written.
    void replace(std::string_view content);

private:
    EditedFile() = default;
    void check_unchanged() const;

    std::filesystem::path path_;      // as given
    std::filesystem::path resolved_;  // the file read, links resolved
    int dir_fd_ = -1;
    std::string text_;
    struct stat st_ {};
};

}  // namespace formation::host
