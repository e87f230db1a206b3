// `formation list`: the apps installed on this host, their types and
// counts, and how many of their instances run. Read-only: no lock, no write.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace formation::app {

struct ListedApp {
    std::string app;
    std::vector<std::pair<std::string, int>> types;  // with their counts
    int desired = 0;
    std::optional<std::uint64_t> running;  // nullopt: systemd could not be asked
    std::string path;                      // the installed file
    std::string note;                      // an invalid file; empty when none
};

struct AppList {
    std::vector<ListedApp> apps;        // by app name
    std::vector<std::string> problems;  // installed files skipped, one line each
    std::string unreachable;            // why systemd could not be asked; empty when it could
    std::string install_dir;            // where apps are installed (for "no apps installed in …")
};

AppList list_apps(bool user);

}  // namespace formation::app
