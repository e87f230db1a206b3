#include "host/paths.hpp"

#include <cstdlib>

#include "host/atomic_file.hpp"

namespace formation::host {

namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::vector<fs::path> split_dirs(const std::string& list) {
    std::vector<fs::path> out;
    std::size_t at = 0;
    while (at <= list.size()) {
        std::size_t colon = list.find(':', at);
        if (colon == std::string::npos) colon = list.size();
        std::string part = list.substr(at, colon - at);
        // Relative entries are ignored, as the XDG base directory spec says.
        if (!part.empty() && part[0] == '/') out.emplace_back(part);
        at = colon + 1;
    }
    return out;
}

fs::path home() {
    std::string h = env("HOME");
    if (h.empty() || h[0] != '/') throw DiskError("--user needs $HOME (an absolute path) to find ~/.config/formation");
    return h;
}

fs::path xdg(const char* var, const char* fallback_under_home) {
    std::string v = env(var);
    if (!v.empty() && v[0] == '/') return v;
    return home() / fallback_under_home;
}

}  // namespace

Paths paths(bool user) {
    Paths p;
    p.user = user;
    if (user) {
        p.config_dirs.push_back(xdg("XDG_CONFIG_HOME", ".config") / "formation");
        auto system_dirs = split_dirs(env("XDG_CONFIG_DIRS"));
        if (system_dirs.empty()) system_dirs.emplace_back("/etc/xdg");
        for (const auto& d : system_dirs) p.config_dirs.push_back(d / "formation");
        p.state_dir = xdg("XDG_STATE_HOME", ".local/state") / "formation";
        std::string runtime = env("XDG_RUNTIME_DIR");
        if (!runtime.empty() && runtime[0] == '/') p.runtime_dir = runtime;
        p.lock_dir = !runtime.empty() && runtime[0] == '/' ? fs::path(runtime) / "formation/.lock"
                                                           : p.state_dir / ".lock";
    } else {
        p.config_dirs = {"/etc/formation", "/run/formation", "/usr/local/lib/formation", "/usr/lib/formation"};
        p.state_dir = "/var/lib/formation";
        p.lock_dir = "/run/formation/.lock";
        p.runtime_dir = "/run";
    }
    if (auto list = env("FORMATION_CONFIG_DIRS"); !list.empty()) {
        p.config_dirs = split_dirs(list);
        if (p.config_dirs.empty()) throw DiskError("FORMATION_CONFIG_DIRS=" + list + " names no absolute directory");
    }
    if (auto s = env("FORMATION_STATE_DIR"); !s.empty()) p.state_dir = s;
    if (auto l = env("FORMATION_LOCK_DIR"); !l.empty()) p.lock_dir = l;
    return p;
}

}  // namespace formation::host

namespace formation::host {

fs::path installed_generator(bool user) {
    const char* kind = user ? "user-generators" : "system-generators";
    const char* name = user ? "formation-user-generator" : "formation-generator";
    for (const char* base : {"/run/systemd", "/etc/systemd", "/usr/local/lib/systemd", "/usr/lib/systemd", "/lib/systemd"}) {
        fs::path p = fs::path(base) / kind / name;
        std::error_code ec;
        if (fs::exists(p, ec)) return p;
    }
    return {};
}

}  // namespace formation::host
