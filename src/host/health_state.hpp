// What the health watcher last saw of an app's instances, kept in
// Paths::health_path(app) for `status`: one line per instance.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/paths.hpp"

namespace formation::host {

struct HealthRecord {
    std::string unit;
    bool healthy = true;              // the last check passed
    unsigned failures = 0;            // checks failed in a row
    std::string last_answer;          // "HTTP 200 OK", "Connection refused", "no answer within 2s"
    std::uint64_t checked_usec = 0;   // CLOCK_REALTIME µs of the last check
    unsigned restarts = 0;            // restarts by the health check since the watcher began
    std::string restart_reason;       // the last one's: "3 failed checks in a row: HTTP 500 …"
    std::uint64_t restarted_usec = 0;
    bool operator==(const HealthRecord&) const = default;
};

// Pure: the file's text, and back (lines that do not parse are skipped).
std::string encode_health(const std::vector<HealthRecord>& records);
std::vector<HealthRecord> decode_health(const std::string& text);

// Atomic; creates the directory.
void write_health(const Paths& paths, const std::string& app, const std::vector<HealthRecord>& records);
// Empty when there is no file (no watcher ran since boot).
std::vector<HealthRecord> read_health(const Paths& paths, const std::string& app);
// When the app is destroyed; nothing to remove is fine.
void remove_health(const Paths& paths, const std::string& app);

}  // namespace formation::host
