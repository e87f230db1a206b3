#include "app/context.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "app/installed.hpp"
#include "host/atomic_file.hpp"
#include "host/clock.hpp"
#include "host/listening.hpp"
#include "plan/plan.hpp"
#include "systemd/journal.hpp"

namespace formation::app {

host::Store host_store(bool user) {
    try {
        return host::Store(host::paths(user));
    } catch (const host::DiskError& e) {
        throw Error(e.what(), exit_usage);
    }
}

InstalledFormation load_installed(const host::Store& store, bool user, const std::string& app) {
    auto in = store.installed(app);
    if (!in)
        throw Error("app " + app + " is not installed (no " + store.paths().installed_path(app).string() +
                        "; `formation apply` installs it)",
                    exit_usage);
    InstalledFormation out;
    out.installed_path = in->path.string();
    Resolved r = resolve_installed(*in, compile_options(user, out.installed_path));
    if (!r.ok()) throw InvalidFormation{FormationError(r.rendered.errors), r.text};
    out.on_last_good = r.on_last_good;
    if (r.on_last_good) out.installed_errors = std::move(r.installed_errors);
    out.path = std::move(r.path);
    out.text = std::move(r.text);
    out.formation = std::move(*r.rendered.formation);
    return out;
}

std::string last_good_warning(const InstalledFormation& f) {
    if (!f.on_last_good) return {};
    return "formation: warning: " + f.installed_path + " is invalid; acting on its last good formation";
}

CompileOptions install_options(bool user, const InstalledFormation& f) { return compile_options(user, f.installed_path); }

int lock_timeout_sec() {
    const char* env = std::getenv("FORMATION_LOCK_TIMEOUT");
    if (!env || !*env) return 300;
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    return (*end == '\0' && v >= 0 && v <= 86400) ? static_cast<int>(v) : 300;
}

host::AppLock lock_app(const host::Store& store, const std::string& app,
                       const std::function<void(const std::string&)>& say) {
    return store.lock(app, lock_timeout_sec(), [&app, &say] {
        say("formation: waiting for another formation command on app " + app);
    });
}

std::vector<std::string> loaded_instances(systemd::Manager& m, const std::string& app) {
    std::vector<std::string> out;
    // A glob can match more than the app's own (a "*" spans dashes): keep
    // only names that parse as this app's instances.
    for (auto& s : m.list_unit_states({instance_glob(app)}))
        if (parse_instance(app, s.name)) out.push_back(std::move(s.name));
    return out;
}

std::uint64_t job_timeout_usec(const Formation& f) {
    std::uint64_t worst = 0;
    for (const auto& p : f.processes) worst = std::max(worst, p.start_timeout_usec + p.stop_timeout_usec);
    return 2 * worst + 60 * usec_per_sec;
}

void real_sleep(std::uint64_t usec) { std::this_thread::sleep_for(std::chrono::microseconds(usec)); }

std::uint64_t now_realtime_usec() { return host::realtime_usec(); }

std::string last_log_lines(const std::string& unit, bool user, std::size_t lines) {
    systemd::JournalQuery q;
    q.units = {unit};
    q.user = user;
    q.last = std::max<std::size_t>(lines * 20, 200);
    std::string out;
    try {
        auto entries = systemd::read_journal(q);
        // The process's own last words say why it failed; systemd's lines
        // ("Scheduled restart job", "Failed with result") only repeat the
        // state. Up to the run that failed last (the earlier runs of a
        // crash loop included): Restart= may have begun the next one
        // already, whose start lines would hide them. Only a recent failure
        // counts: one long past says nothing about what runs now.
        std::size_t failed_at = entries.size();
        std::string failed_run;
        const std::uint64_t recent = now_realtime_usec() - 60 * usec_per_sec;
        for (std::size_t i = entries.size(); i-- > 0;)
            if (entries[i].from_manager && entries[i].message_id == systemd::unit_failed_message_id &&
                entries[i].realtime_usec >= recent) {
                failed_at = i;
                failed_run = entries[i].invocation;
                break;
            }
        std::vector<const systemd::JournalEntry*> chosen;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& e = entries[i];
            // The failed run's own lines may be stored just after systemd's.
            if (!e.from_manager && (i < failed_at || (!failed_run.empty() && e.invocation == failed_run)))
                chosen.push_back(&e);
        }
        if (chosen.size() > lines) chosen.erase(chosen.begin(), chosen.end() - static_cast<std::ptrdiff_t>(lines));
        // An instance's bytes never reach the terminal raw.
        for (const auto* e : chosen) out += "    " + terminal_safe(e->message, true) + '\n';
    } catch (const std::exception& e) {
        out += std::string("    (journal unreadable: ") + e.what() + ")\n";
    }
    return out;
}

std::vector<std::string> select_types(const Formation& f, const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& p : f.processes)
        if (names.empty()) out.push_back(p.name);
    for (const auto& n : names) {
        bool known = std::any_of(f.processes.begin(), f.processes.end(), [&n](const ProcessType& p) { return p.name == n; });
        if (!known) throw Error("app " + f.app + " has no process type \"" + n + "\"", exit_usage);
        out.push_back(n);
    }
    return out;
}

std::vector<std::string> desired_instances(const UnitSet& set, const std::vector<std::string>& types) {
    std::vector<std::string> out;
    for (const auto& i : set.instances)
        if (types.empty() || std::find(types.begin(), types.end(), i.type) != types.end()) out.push_back(i.unit);
    return out;
}

std::vector<PortClaim> ports_of(const Formation& f, const UnitSet& set, const std::string& file) {
    std::vector<PortClaim> out;
    for (const auto& i : set.instances)
        for (const auto& p : f.processes)
            if (p.name == i.type && p.port)
                out.push_back({instance_port(p, i.index), f.app, file, i.type + "." + std::to_string(i.index), i.type,
                               !i.socket.empty()});
    return out;
}

std::vector<PortClaim> other_apps_ports(bool user_scope, const std::string& app) {
    std::vector<PortClaim> out;
    std::vector<std::vector<std::filesystem::path>> seen;  // one search path is read once
    for (bool user : {user_scope, !user_scope}) {
        if (user && !user_scope) continue;  // the system's apps do not see users'
        host::Paths paths;
        try {
            paths = host::paths(user);
        } catch (const host::DiskError&) {
            continue;
        }
        if (std::find(seen.begin(), seen.end(), paths.config_dirs) != seen.end()) continue;
        seen.push_back(paths.config_dirs);
        for (const auto& file : host::scan_installed(paths).files) {
            if (user == user_scope && file.app == app) continue;
            Resolved r = resolve_installed(file, compile_options(user, file.path.string()));
            if (!r.ok()) continue;
            auto claims = ports_of(*r.rendered.formation, r.rendered.set, r.path);
            out.insert(out.end(), claims.begin(), claims.end());
        }
    }
    return out;
}

namespace {

// Inodes of the TCP sockets listening on `port` (any address), from
// /proc/net/tcp and tcp6, without inode 0.
std::set<std::string> listening_inodes(int port) {
    std::set<std::string> out;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"})
        if (auto inodes = host::listening_inodes(table, port)) out.insert(inodes->begin(), inodes->end());
    out.erase("0");
    return out;
}

std::string first_line_of(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// The unit whose cgroup the process is in ("x.service"), from /proc/PID/cgroup.
std::string unit_of_pid(const std::string& pid) {
    std::ifstream in("/proc/" + pid + "/cgroup");
    std::string line, unit;
    while (std::getline(in, line)) {
        auto slash = line.rfind('/');
        std::string last = slash == std::string::npos ? "" : line.substr(slash + 1);
        if (last.ends_with(".service") || last.ends_with(".scope") || last.ends_with(".socket")) unit = last;
    }
    return unit;
}

}  // namespace

std::string port_listener(int port) {
    auto inodes = listening_inodes(port);
    if (inodes.empty()) return {};
    std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
    if (!proc) return "a process formation cannot see";
    while (dirent* e = ::readdir(proc.get())) {
        std::string pid = e->d_name;
        if (pid.empty() || !std::all_of(pid.begin(), pid.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
        std::string fds = "/proc/" + pid + "/fd";
        std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(fds.c_str()), ::closedir);
        if (!dir) continue;  // another user's process, or gone
        while (dirent* fd = ::readdir(dir.get())) {
            char target[64];
            ssize_t n = ::readlink((fds + "/" + fd->d_name).c_str(), target, sizeof target - 1);
            if (n <= 0) continue;
            std::string link(target, static_cast<std::size_t>(n));
            if (!link.starts_with("socket:[") || !inodes.count(link.substr(8, link.size() - 9))) continue;
            if (pid == "1") return "systemd (PID 1), for a socket unit";
            std::string unit = unit_of_pid(pid);
            return terminal_safe(first_line_of("/proc/" + pid + "/comm")) + " (PID " + pid +
                   (unit.empty() ? "" : ", unit " + unit) + ")";
        }
    }
    return "a process formation cannot see (another user's; root can name it)";
}

}  // namespace formation::app
