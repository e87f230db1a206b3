// observe_status(): what systemd and /proc say of an app's instances, read
// for build_status_view().
#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "app/status_view.hpp"
#include "plan/plan.hpp"

namespace formation::app {

namespace {

// PORT=N in /proc/PID/environ, the environment the process was started
// with. nullopt when it cannot be read (another user's process, unless we
// are root); an empty optional inside when it has no valid PORT.
std::optional<std::optional<int>> process_port(std::uint32_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream read;
    read << in.rdbuf();
    const std::string env = read.str();
    if (env.empty()) return std::nullopt;  // unreadable: systemd always sets some variables
    std::optional<int> port;
    for (std::size_t at = 0; at < env.size();) {
        std::size_t end = env.find('\0', at);
        if (end == std::string::npos) end = env.size();
        std::string_view var(env.data() + at, end - at);
        if (var.starts_with("PORT=")) {
            int p = 0;
            auto value = var.substr(5);
            auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), p);
            port = (ec == std::errc() && ptr == value.data() + value.size() && p >= 1 && p <= 65535)
                       ? std::optional<int>(p) : std::nullopt;
        }
        at = end + 1;
    }
    return port;
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// The accept queue of every listening TCP socket, by port, from one of
// /proc/net/tcp and tcp6: for a socket in LISTEN (st 0A) rx_queue is the
// number of connections the kernel accepted that no process has taken.
void read_listen_queues(const char* path, std::map<int, std::uint64_t>& out) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string sl, local, remote, st, queues;
        if (!(fields >> sl >> local >> remote >> st >> queues) || st != "0A") continue;
        auto colon = local.rfind(':');
        auto qcolon = queues.find(':');
        if (colon == std::string::npos || qcolon == std::string::npos) continue;
        unsigned port = 0;
        std::uint64_t waiting = 0;
        auto p = std::from_chars(local.data() + colon + 1, local.data() + local.size(), port, 16);
        auto q = std::from_chars(queues.data() + qcolon + 1, queues.data() + queues.size(), waiting, 16);
        if (p.ec != std::errc() || q.ec != std::errc() || port == 0 || port > 65535) continue;
        out[static_cast<int>(port)] += waiting;
    }
}

}  // namespace

StatusObservation observe_status(const Formation& f, const UnitSet& set, systemd::Manager& m) {
    std::vector<std::string> services;
    for (const auto& i : set.instances) services.push_back(i.unit);
    // A glob can match more than the app's own (a "*" spans dashes): keep
    // only names that parse as this app's instances.
    for (const auto& s : m.list_unit_states({instance_glob(f.app)}))
        if (parse_instance(f.app, s.name) && !contains(services, s.name)) services.push_back(s.name);
    for (const auto& sch : set.scheduled) {
        services.push_back(sch.timer);
        services.push_back(sch.service);
    }
    // Sockets: the formation's, and any other of the app systemd has loaded.
    std::vector<std::string> sockets;
    for (const auto& i : set.instances)
        if (!i.socket.empty()) sockets.push_back(i.socket);
    for (const auto& s : m.list_unit_states({shared_socket_glob(f.app)}))  // per-instance ones too
        if ((parse_socket(f.app, s.name) || parse_shared_socket(f.app, s.name)) && !contains(sockets, s.name))
            sockets.push_back(s.name);
    for (const auto& s : set.shared_sockets)
        if (!contains(sockets, s.unit)) sockets.push_back(s.unit);
    std::vector<std::string> asked = services;
    for (const auto& unit : services)
        if (contains(sockets, socket_of(unit))) asked.push_back(socket_of(unit));
    bool shared = false;
    for (const auto& s : sockets)
        if (parse_shared_socket(f.app, s)) {
            asked.push_back(s);
            shared = true;
        }
    StatusObservation seen;
    if (asked.empty()) return seen;
    auto states = m.unit_states(asked);  // one pipelined batch
    for (std::size_t k = 0; k < states.size() && k < asked.size(); ++k) {
        states[k].name = asked[k];
        (k < services.size() ? seen.services : seen.sockets).push_back(std::move(states[k]));
    }
    if (shared) {
        read_listen_queues("/proc/net/tcp", seen.listen_queues);
        read_listen_queues("/proc/net/tcp6", seen.listen_queues);
    }
    for (const auto& s : seen.services)
        if (s.main_pid)
            if (auto port = process_port(s.main_pid)) seen.process_ports[s.main_pid] = *port;
    return seen;
}

}  // namespace formation::app
