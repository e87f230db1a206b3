// Whether the unit's main process is still there, for the helpers systemd
// runs as ExecStartPost= (wait-ready, health-wait). While one runs, a main
// process that exits does not end the start: systemd waits for the helper
// until TimeoutStartSec= (30 s by default), and a socket unit meanwhile
// accepts connections nobody serves. So the helpers look, and give up.
#pragma once

#include <optional>
#include <string>

namespace formation::host {

// True when $MAINPID (set by systemd for control processes) names a process
// that is gone (kill(PID, 0) says ESRCH), or one that is no longer in our
// control group (its PID was reused). False while it runs, also when /proc
// hides it (ProtectProc=invisible hides a main process that changed its
// user), and when there is no $MAINPID (then the unit's timeout bounds the
// wait).
bool main_process_gone();

// The same decision from what was found: MAINPID's value, whether a
// process with that PID exists, its /proc/PID/cgroup and our own
// /proc/self/cgroup (nullopt: could not be read).
bool main_process_gone(const char* mainpid, bool exists, const std::optional<std::string>& its_cgroup,
                       const std::optional<std::string>& own_cgroup);

}  // namespace formation::host
