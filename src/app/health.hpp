// Health checks (formation.toml's `health`): the rules, apart from the
// sockets. Readiness: `formation health-wait`, run by systemd as the
// instance's last ExecStartPost=, returns once a check passes, so the start
// job (and apply, restart, scale, start, which wait for it) completes only
// then. Bad answers (not 2xx/3xx) count: `failures` in a row fail the start.
// No answer yet (refused, not listening, timed out) does not count: the
// process may still be booting; TimeoutStartSec= (start_timeout) bounds
// that wait.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "formation/model.hpp"
#include "host/http_probe.hpp"

namespace formation::app {

struct HealthWaitIo {
    std::function<host::ProbeResult(const host::ProbeTarget&, std::uint64_t timeout_usec)> probe;
    std::function<void(std::uint64_t usec)> sleep;
    std::function<void(const std::string& line)> say;  // to the instance's journal
    // The instance's main process exited (host::main_process_gone): it will
    // never answer, so the start fails now rather than at its timeout.
    std::function<bool()> gone = [] { return false; };
};

// Between bad answers while starting: the interval, at most 1 s, so a bad
// release is refused within about `failures` seconds.
std::uint64_t readiness_retry_usec(const HealthCheck& h);

// True once a check of `where` (its port or socket; the path is h.path)
// passes; false after h.failures bad answers in a row (each said, with the
// answer).
bool wait_healthy(host::ProbeTarget where, const HealthCheck& h, const HealthWaitIo& io);

// "GET /healthz on port 5000: HTTP 500 Internal Server Error",
// "GET /healthz on /run/formation/.health/shop-web@1.sock: …"
std::string describe_probe(const host::ProbeTarget& t, const host::ProbeResult& r);

}  // namespace formation::app
