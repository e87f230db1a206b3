#include "host/main_process.hpp"

#include <signal.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace formation::host {

namespace {

std::optional<std::string> read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return s.str();
}

// A positive PID written as decimal digits alone; 0 otherwise.
long parse_pid(const char* text) {
    if (!text || !*text) return 0;
    long pid = 0;
    const char* end = text + std::strlen(text);
    auto [at, ec] = std::from_chars(text, end, pid);
    return ec == std::errc() && at == end && pid > 0 ? pid : 0;
}

}  // namespace

bool main_process_gone(const char* mainpid, bool exists, const std::optional<std::string>& its_cgroup,
                       const std::optional<std::string>& own_cgroup) {
    if (!parse_pid(mainpid)) return false;
    if (!exists) return true;
    // Reused by a process elsewhere; unreadable says nothing either way.
    return its_cgroup && own_cgroup && !own_cgroup->empty() && *its_cgroup != *own_cgroup;
}

bool main_process_gone() {
    const char* mainpid = std::getenv("MAINPID");
    long pid = parse_pid(mainpid);
    if (!pid) return false;
    // EPERM: it exists, as another user's process.
    bool exists = ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
    return main_process_gone(mainpid, exists, read_text("/proc/" + std::to_string(pid) + "/cgroup"),
                             read_text("/proc/self/cgroup"));
}

}  // namespace formation::host
