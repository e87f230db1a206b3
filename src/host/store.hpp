// The installed formations of one host (system or one user): the only
// truth. apply and scale publish here, under the app's lock, files that
// already passed validation; readers (status, logs, list, the generator)
// never lock: every write is an atomic rename.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "host/paths.hpp"

namespace formation::host {

struct InstalledFile {
    std::string app;                  // the file's stem
    std::filesystem::path path;       // the APP.toml that wins on the search path
    std::string text;
    std::filesystem::path last_good_path;  // DIR/.last-good/APP.toml beside it
    std::optional<std::string> last_good;  // its text, when there is one
};

struct Scan {
    std::vector<InstalledFile> files;  // by app name
    std::vector<std::string> problems; // "PATH: why it was skipped", one line each
};

// Every installed formation on the search path: regular files (or links to
// them) named APP.toml with a valid app name; dotfiles and anything else are
// skipped (with a problem line where it looks meant as a formation).
Scan scan_installed(const Paths& paths);

// An exclusive per-app lock, held for the object's lifetime.
class AppLock {
public:
    explicit AppLock(int fd) : fd_(fd) {}
    AppLock(AppLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    AppLock(const AppLock&) = delete;
    AppLock& operator=(const AppLock&) = delete;
    AppLock& operator=(AppLock&&) = delete;
    ~AppLock();

private:
    int fd_;
};

class Store {
public:
    explicit Store(Paths paths) : paths_(std::move(paths)) {}
    const Paths& paths() const { return paths_; }

    std::optional<InstalledFile> installed(const std::string& app) const;
    std::vector<std::string> apps() const;  // sorted

    // The formation the running instances were last converged to.
    std::optional<std::string> applied(const std::string& app) const;
    void set_applied(const std::string& app, const std::string& text) const;

    // Publishes a validated formation: the last-good copy, then APP.toml.
    void install(const std::string& app, const std::string& text) const;
    // Removes APP.toml from the install directory, its last-good and applied copies.
    void remove(const std::string& app) const;
    // Where else than the install directory the app is installed (a vendor
    // copy that comes back after destroy).
    std::vector<std::filesystem::path> other_copies(const std::string& app) const;

    // Waits up to `timeout_sec` for another formation command on the same
    // app; `waiting` is called once when the wait begins.
    AppLock lock(const std::string& app, int timeout_sec, const std::function<void()>& waiting = {}) const;

private:
    Paths paths_;
};

}  // namespace formation::host
