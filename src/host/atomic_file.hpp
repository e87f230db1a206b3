// Whole-file reads and atomic replacements on the local disk: a temporary
// file beside the target, fsync, rename, directory fsync. A reader sees the
// old bytes or the new ones, never a mix.
#pragma once

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

// Largest file formation reads (a formation file, a Procfile, an env file).
constexpr std::size_t max_input_bytes = 1024 * 1024;

// nullopt when the file does not exist. Reads at most `limit` bytes and
// throws DiskError past it (so -f /dev/zero ends at once).
std::optional<std::string> read_file(const std::filesystem::path& path, std::size_t limit = max_input_bytes);

// Writes all of `data` to `fd` (retrying short writes and EINTR); throws
// DiskError naming `path`.
void write_all(int fd, std::string_view data, const std::filesystem::path& path);

void write_file_atomic(const std::filesystem::path& path, std::string_view content, unsigned mode = 0644);

// Atomic replacement of a user's file that keeps its mode and owner (a 0600
// formation.toml must stay 0600). A symlink stays a symlink: its target is
// what gets replaced.
void replace_file(const std::filesystem::path& path, std::string_view content);

}  // namespace formation::host
