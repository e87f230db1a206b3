// HTTP health checks: GET PATH on 127.0.0.1:PORT (or on a unix socket),
// many at once, each bounded. Used by `formation health-wait` (readiness, run by systemd as
// ExecStartPost=) and by the health watcher (liveness).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace formation::host {

struct ProbeTarget {
    int port = 0;
    std::string path;  // checked by the parser: "/…", printable ASCII, no spaces
    // When set, the check goes to this unix socket instead of the port (an
    // instance's own health socket with socket = "shared").
    std::string socket;
};

enum class ProbeOutcome {
    healthy,    // answered 2xx or 3xx
    unhealthy,  // answered another status
    no_answer,  // refused, reset, closed, not HTTP, or nothing within the timeout
};

struct ProbeResult {
    ProbeOutcome outcome = ProbeOutcome::no_answer;
    int status = 0;      // the HTTP status, when it answered
    std::string detail;  // "HTTP 500 Internal Server Error", "connection refused", "no answer within 2s"
};

// The status line of an HTTP response ("HTTP/1.1 503 Service Unavailable"):
// the status, or 0 when it is not one. Pure.
int parse_status_line(const std::string& line);

// Checks every target at once; the whole call takes at most timeout_usec.
// Results in the targets' order.
std::vector<ProbeResult> probe_all(const std::vector<ProbeTarget>& targets, std::uint64_t timeout_usec);

}  // namespace formation::host
