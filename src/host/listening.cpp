// See listening.hpp. Anyone else listening on the port must not count: a
// listening socket counts only when a process of our own control group
// (/proc/self/cgroup names it) holds it, found by its inode in
// /proc/self/net/tcp{,6} and in /proc/PID/fd. /proc/self/net works with
// ProcSubset=pid too.
#include "host/listening.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace formation::host {

namespace {

namespace fs = std::filesystem;

bool accepts(int port, int family) {
    int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    int r = -1;
    if (family == AF_INET) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        r = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(static_cast<std::uint16_t>(port));
        a.sin6_addr = in6addr_loopback;
        r = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    ::close(fd);
    return r == 0;
}

// The directory of our own cgroup: the unified hierarchy's "0::PATH" line
// (mounted at /sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid
// system), else the "name=systemd" one of a legacy system.
std::optional<fs::path> own_cgroup() {
    std::ifstream in("/proc/self/cgroup");
    std::optional<fs::path> unified, legacy;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("0::")) unified = fs::path(line.substr(3)).relative_path();
        auto at = line.find(":name=systemd:");
        if (at != std::string::npos) legacy = fs::path(line.substr(at + 14)).relative_path();
    }
    std::error_code ec;
    for (const char* root : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"})
        if (unified && fs::exists(fs::path(root) / "cgroup.controllers", ec)) return fs::path(root) / *unified;
    if (legacy) return fs::path("/sys/fs/cgroup/systemd") / *legacy;
    return std::nullopt;
}

// Every pid in the cgroup and below it (a process may have made sub-groups).
std::vector<std::string> cgroup_pids(const fs::path& dir) {
    std::vector<std::string> pids;
    std::error_code ec;
    std::vector<fs::path> dirs{dir};
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec)) dirs.push_back(it->path());
    for (const auto& d : dirs) {
        std::ifstream in(d / "cgroup.procs");
        for (std::string pid; in >> pid;) pids.push_back(pid);
    }
    return pids;
}

// One /proc/net/tcp{,6} table:
// "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode",
// local_address "HEXADDR:HEXPORT", st 0A = TCP_LISTEN. nullopt: unreadable.
}  // namespace

std::optional<std::set<std::string>> listening_inodes(const char* table, int port) {
    std::ifstream in(table);
    if (!in) return std::nullopt;
    std::set<std::string> inodes;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
        if (!(f >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode)) continue;
        auto colon = local.rfind(':');
        if (state != "0A" || colon == std::string::npos) continue;
        unsigned long local_port = 0;
        std::string_view hex = std::string_view(local).substr(colon + 1);
        auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), local_port, 16);
        if (ec == std::errc() && end == hex.data() + hex.size() && local_port == static_cast<unsigned long>(port))
            inodes.insert(inode);
    }
    return inodes;
}

namespace {

// True when a process of `pids` holds one of `inodes` ("socket:[INODE]").
bool holds_any(const std::vector<std::string>& pids, const std::set<std::string>& inodes) {
    for (const auto& pid : pids) {
        std::error_code ec;
        for (fs::directory_iterator it("/proc/" + pid + "/fd", ec), end; !ec && it != end; it.increment(ec)) {
            auto target = fs::read_symlink(it->path(), ec).string();
            if (!ec && target.starts_with("socket:[") && target.ends_with("]") &&
                inodes.count(target.substr(8, target.size() - 9)))
                return true;
        }
    }
    return false;
}

enum class Readiness { ready, not_yet, unknown };

Readiness own_listener(int port) {
    auto cgroup = own_cgroup();
    auto v4 = listening_inodes("/proc/self/net/tcp", port);
    auto v6 = listening_inodes("/proc/self/net/tcp6", port);
    if (!cgroup || (!v4 && !v6)) return Readiness::unknown;
    std::set<std::string> inodes;
    if (v4) inodes.insert(v4->begin(), v4->end());
    if (v6) inodes.insert(v6->begin(), v6->end());
    if (inodes.empty()) return Readiness::not_yet;
    return holds_any(cgroup_pids(*cgroup), inodes) ? Readiness::ready : Readiness::not_yet;
}

}  // namespace

bool own_group_listens(int port) {
    switch (own_listener(port)) {
        case Readiness::ready: return true;
        case Readiness::not_yet: return false;
        case Readiness::unknown: return accepts(port, AF_INET) || accepts(port, AF_INET6);
    }
    return false;
}

bool wait_until_listening(int port, const std::function<bool()>& gone) {
    auto delay = std::chrono::milliseconds(10);
    while (!own_group_listens(port)) {
        if (gone()) return false;
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(200));
    }
    return true;
}

}  // namespace formation::host
