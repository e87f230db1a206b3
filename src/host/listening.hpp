// Who listens on a TCP port here, from /proc: the socket tables and the
// processes holding the sockets. Used by `formation wait-ready` (run by
// systemd as ExecStartPost= for ready = "port") and by the app layer's
// port_listener().
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

namespace formation::host {

// Inodes of the sockets listening on `port` in one /proc/net/tcp{,6} table
// ("/proc/self/net/tcp6", …); nullopt when it cannot be read.
std::optional<std::set<std::string>> listening_inodes(const char* table, int port);

// True once one of the calling process's own control group (and its
// sub-groups) listens on `port`: ExecStartPost= runs in the unit's cgroup,
// so anyone else on the port (a stale process, another app) does not count.
// Only when neither the cgroup nor the socket tables can be read at all,
// "something accepts connections on 127.0.0.1 or ::1".
bool own_group_listens(int port);

// Returns true once own_group_listens(port), polling with a growing delay
// (10 ms up to 200 ms); false as soon as `gone()` says the main process
// exited (it never will listen). The unit's TimeoutStartSec= bounds the wait.
bool wait_until_listening(int port, const std::function<bool()>& gone);

}  // namespace formation::host
