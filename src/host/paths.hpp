// Where formation keeps its state on a host, for the system manager or for
// one user's manager. Only src/host/ knows these places.
//
//   system: /etc/formation/APP.toml          installed formations (apply writes here)
//           /run/formation/, /usr/local/lib/formation/, /usr/lib/formation/
//                                            also read; earlier directories win by file name
//           /etc/formation/.last-good/APP.toml   the last file apply installed (the
//                                            generator falls back to it when APP.toml breaks)
//           /var/lib/formation/APP.applied.toml  what the running instances were converged to
//           /run/formation/.lock/APP         per-app locks
//           /run/formation/.health/APP       what the health watcher last saw
//   user:   $XDG_CONFIG_HOME/formation (~/.config/formation), then each of
//           $XDG_CONFIG_DIRS/formation (/etc/xdg/formation); state in
//           $XDG_STATE_HOME/formation; locks in $XDG_RUNTIME_DIR/formation/.lock
//
// Environment overrides, for tests and unusual layouts:
//   FORMATION_CONFIG_DIRS   colon-separated search path; the first is written
//   FORMATION_STATE_DIR     the applied copies
//   FORMATION_LOCK_DIR      the locks
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace formation::host {

struct Paths {
    bool user = false;
    std::vector<std::filesystem::path> config_dirs;  // search order; [0] is where apply installs
    std::filesystem::path state_dir;
    std::filesystem::path lock_dir;
    // systemd's %t for this manager: /run, or $XDG_RUNTIME_DIR (empty when
    // unset). Not overridable: units name paths under it.
    std::filesystem::path runtime_dir;

    const std::filesystem::path& install_dir() const { return config_dirs.front(); }
    std::filesystem::path installed_path(const std::string& app) const { return install_dir() / (app + ".toml"); }
    std::filesystem::path last_good_path(const std::string& app) const {
        return install_dir() / ".last-good" / (app + ".toml");
    }
    std::filesystem::path applied_path(const std::string& app) const { return state_dir / (app + ".applied.toml"); }
    std::filesystem::path lock_path(const std::string& app) const { return lock_dir / app; }
    // What the health watcher last saw of the app's instances (beside the
    // locks: /run/formation/.health/APP; gone at reboot, as the instances).
    std::filesystem::path health_path(const std::string& app) const {
        return lock_dir.parent_path() / ".health" / app;
    }
};

// Throws DiskError when a user path cannot be found ($HOME unset).
Paths paths(bool user);

}  // namespace formation::host

namespace formation::host {

// Where systemd would find formation's generator for this scope
// (systemd.generator(7) search path); empty when it is not installed.
std::filesystem::path installed_generator(bool user);

}  // namespace formation::host
