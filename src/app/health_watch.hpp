// Liveness: `formation -a APP health-watch`, run by systemd as
// APP-health.service (one process for the whole app, generated when a type
// has `health`). Every `interval` it checks every running instance of each
// type with health, all at once (host::probe_all); an instance that fails
// `failures` checks in a row is restarted through systemd (a restart job,
// queued without waiting, so the other instances are still checked), and
// nothing else is. What it saw goes to Paths::health_path(APP) for
// `status`, and each restart to its journal.
//
// Why one watcher and not WatchdogSec=: a watchdog needs a process inside
// each instance sending WATCHDOG=1, a resident prober per instance (100
// instances: 100 processes); one watcher per app costs one process and one
// poll() loop whatever the count. Restart jobs go through systemd, so its
// start limit still applies: an instance that never gets healthy ends
// failed, not restarted for ever.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/env.hpp"
#include "formation/model.hpp"
#include "host/health_state.hpp"
#include "host/http_probe.hpp"

namespace formation::app {

// Pure: consecutive failures per instance, and when to restart.
class HealthTracker {
public:
    struct Verdict {
        bool restart = false;
        std::string reason;  // "3 failed checks in a row: GET /healthz on port 5001: HTTP 500 …"
    };
    // One check of a running instance.
    Verdict record(const std::string& unit, const host::ProbeTarget& target, const HealthCheck& check,
                   const host::ProbeResult& result, std::uint64_t now_realtime_usec);
    // The instance is not running (stopped, restarting, starting): its count
    // starts over when it runs again; what it last saw stays for status.
    void not_running(const std::string& unit);
    // Forgets instances no longer loaded.
    void keep_only(const std::set<std::string>& units);
    std::vector<host::HealthRecord> records() const;

private:
    std::map<std::string, host::HealthRecord> records_;
};

struct WatchIo {
    std::function<std::vector<host::ProbeResult>(const std::vector<host::ProbeTarget>&, std::uint64_t timeout_usec)> probe;
    std::function<std::uint64_t()> monotonic_usec;
    std::function<std::uint64_t()> realtime_usec;
    std::function<bool()> stop;  // true: return
};

// Runs until io.stop(). Throws Error when the app is not installed at start.
void watch_health(Env& env, const std::string& app, const WatchIo& io);

}  // namespace formation::app
