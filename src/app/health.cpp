#include "app/health.hpp"

#include <algorithm>

namespace formation::app {

std::uint64_t readiness_retry_usec(const HealthCheck& h) { return std::min<std::uint64_t>(h.interval_usec, 1000000); }

std::string describe_probe(const host::ProbeTarget& t, const host::ProbeResult& r) {
    const std::string on = t.socket.empty() ? "port " + std::to_string(t.port) : t.socket;
    return "GET " + t.path + " on " + on + ": " + r.detail;
}

bool wait_healthy(host::ProbeTarget where, const HealthCheck& h, const HealthWaitIo& io) {
    where.path = h.path;
    const host::ProbeTarget& target = where;
    const std::uint64_t quiet_retry = 100000;  // not listening yet: look again soon
    unsigned bad = 0;
    std::uint64_t silent_usec = 0;  // since the last "no answer" line
    bool said_waiting = false;
    for (;;) {
        host::ProbeResult r = io.probe(target, h.timeout_usec);
        switch (r.outcome) {
            case host::ProbeOutcome::healthy:
                io.say("health: " + describe_probe(target, r) + ": ready");
                return true;
            case host::ProbeOutcome::unhealthy:
                ++bad;
                io.say("health: " + describe_probe(target, r) + " (" + std::to_string(bad) + " of " +
                       std::to_string(h.failures) + " in a row)");
                if (bad >= h.failures) {
                    io.say("health: not ready: " + std::to_string(bad) + " bad answers in a row");
                    return false;
                }
                io.sleep(readiness_retry_usec(h));
                break;
            case host::ProbeOutcome::no_answer:
                if (io.gone()) {
                    io.say("health: not ready: the main process exited before it answered");
                    return false;
                }
                // Starting: not counted, said once and then every 5 s.
                // Still silent on a health socket after 5 s: most likely a
                // server that accepts on one inherited socket only.
                if (!said_waiting || silent_usec >= 5000000) {
                    io.say("health: " + describe_probe(target, r) + "; waiting" +
                           (target.socket.empty() || !said_waiting ? ""
                                                  : " (the server must accept on every socket systemd passes it, "
                                                    "$LISTEN_FDS: see HEALTH CHECKS in formation.toml(5))"));
                    said_waiting = true;
                    silent_usec = 0;
                }
                io.sleep(quiet_retry);
                silent_usec += quiet_retry + h.timeout_usec / 10;
                break;
        }
    }
}

}  // namespace formation::app
